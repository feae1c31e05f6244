import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `<state dir>/instance.json`: what a host that runs Faultline on the embedded database tells the CLI
 * about itself, so `faultline project create` run beside it prints a DSN with the host's URL and mount
 * path. The state directory is `FAULTLINE_STATE_DIR`, else `./.faultline` (where the embedded database
 * lives too).
 */
export interface InstanceFile {
  /** Where SDKs reach Faultline, mount path included: http://localhost:3000/faultline */
  publicUrl: string;
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FAULTLINE_STATE_DIR || '.faultline';
}

export async function writeInstanceFile(dir: string, instance: InstanceFile): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'instance.json'), `${JSON.stringify(instance, null, 2)}\n`);
}

/** The running host's public URL, or undefined when there is no readable instance file. */
export function readInstanceUrl(dir: string = stateDir()): string | undefined {
  try {
    const value = JSON.parse(readFileSync(path.join(dir, 'instance.json'), 'utf8'));
    return typeof value?.publicUrl === 'string' && /^https?:\/\//.test(value.publicUrl) ? value.publicUrl : undefined;
  } catch {
    return undefined;
  }
}
