import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(import.meta.resolve('@faultline/core/package.json').replace(/package\.json$/, 'src/cli.ts'));
const tsx = import.meta.resolve('tsx');

export interface CliProcess {
  pid: number;
  /** Everything it wrote to stderr (its pino log) so far. */
  log(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
  /** Sends a signal to this process, by its own pid. */
  signal(signal: NodeJS.Signals): void;
}

/** A `faultline` command as a real child process, resolved once its log says `ready` (a message). */
export async function startCli(args: string[], env: Record<string, string>, ready: string): Promise<CliProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], {
    env: { ...process.env, FAULTLINE_LOG_LEVEL: 'info', FAULTLINE_INGEST_THREADS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes(`"msg":"${ready}"`)) resolve();
    });
    void exited.then((code) => reject(new Error(`faultline ${args.join(' ')} exited (${code}) before it was ready:\n${stderr}`)));
  });
  child.stdout!.resume();
  return {
    pid: child.pid!,
    log: () => stderr,
    exited,
    signal(signal) {
      try {
        process.kill(child.pid!, signal);
      } catch {
        // already gone
      }
    },
  };
}

/** Runs a `faultline` command to its end. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', cli, ...args], {
      env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', FAULTLINE_INGEST_THREADS: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
