import type { Command } from 'commander';
import { deadLettersCommand } from './dead-letters-command.js';
import type { CliContext } from './open-faultline.js';
import { workerCommand } from './worker-command.js';

/** The commands of a Faultline split into ingest nodes and workers: `worker` and `queue dead-letters`. */
export function registerScaleCommands(program: Command, config: () => Promise<CliContext>): void {
  program
    .command('worker')
    .description('process queued events (needs FAULTLINE_REDIS_URL); no ingest')
    .option('-p, --port <port>', 'serve /healthz, /readyz and /metrics on this port')
    .action(async (options) => workerCommand(await config(), options));

  const deadLetters = program.command('queue').description('inspect the shared ingest queue').command('dead-letters').description('batches that failed every retry');
  deadLetters
    .command('list')
    .description('list dead letters')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many (default 100)')
    .action(async (options) => deadLettersCommand(await config(), 'list', options));
  deadLetters
    .command('replay [ids...]')
    .description('queue dead letters again (all without ids)')
    .option('--json', 'print JSON')
    .action(async (ids: string[], options) => deadLettersCommand(await config(), 'replay', { ...options, ids }));
}
