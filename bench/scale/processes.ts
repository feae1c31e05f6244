import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../core/src/cli.ts', import.meta.url));

export interface Running {
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL, by this process's own pid; resolves once it has exited. */
  kill(): Promise<void>;
}

/**
 * A `faultline` command from source (tsx, with the node flags `faultline serve` documents, then
 * `nodeFlags`), resolved once its log says `ready`. Its log goes nowhere unless BENCH_VERBOSE=1.
 */
export async function startFaultline(args: string[], env: Record<string, string>, ready: string, nodeFlags: string[] = []): Promise<Running> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-old-space-size=1024', '--max-semi-space-size=4', ...nodeFlags, '--import', 'tsx', '--conditions=faultline-source', cli, ...args],
    { env: { ...process.env, FAULTLINE_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      if (process.env.BENCH_VERBOSE === '1') process.stderr.write(d);
      if (log.length < 100_000) log += d;
      if (log.includes(`"msg":"${ready}"`)) resolve();
    });
    void exited.then(() => reject(new Error(`faultline ${args.join(' ')} exited before it was ready:\n${log}`)));
  });
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function runFaultline(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=faultline-source', cli, ...args], {
      env: { ...process.env, FAULTLINE_LOG_LEVEL: 'warn', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
  });
}
