import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A config file that lists the Redis plugin on `prefix`, for `--config`. */
export async function writeRedisConfig(redisUrl: string, prefix: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'faultline-bench-')), 'faultline.config.json');
  await writeFile(file, JSON.stringify({ plugins: [['@faultline/plugin-queue-redis', { url: redisUrl, prefix }]] }));
  return file;
}
