import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerMessage } from '../ingest/server.js';

type Ready = Extract<ServerMessage, { type: 'ready' }>;
type Stopped = Extract<ServerMessage, { type: 'stopped' }>;

export interface ServerProcess extends Omit<Ready, 'type'> {
  pid: number;
  /** The highest RSS sampled so far (MB). */
  maxRssMB(): number;
  /** Starts sampling afresh (after set-up, say). */
  resetRss(): void;
  stop(): Promise<Stopped>;
}

const SERVER_SCRIPT = fileURLToPath(new URL('../ingest/server.ts', import.meta.url));

/** Forks bench/ingest/server.ts (a real Faultline on a fresh database) and waits until it listens. */
export async function startServerProcess(options: { cpuProfileDir?: string; sqlTiming?: boolean } = {}): Promise<ServerProcess> {
  const execArgv = ['--import', 'tsx', '--conditions=faultline-source'];
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child: ChildProcess = fork(SERVER_SCRIPT, [], {
    execArgv,
    env: { ...process.env, FAULTLINE_BENCH_SQL_TIMING: options.sqlTiming ? '1' : '0' },
    stdio: ['ignore', 2, 2, 'ipc'], // its output goes to stderr: stdout is for the JSON result
  });
  let maxRss = 0;
  let stopped: ((m: Stopped) => void) | null = null;
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before it was ready`)));
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'rss') maxRss = Math.max(maxRss, m.rssMB);
      else if (m.type === 'stopped') stopped?.(m);
    });
  });
  const info = await ready;
  return {
    url: info.url,
    projectId: info.projectId,
    publicKey: info.publicKey,
    secretToken: info.secretToken,
    databaseUrl: info.databaseUrl,
    pid: child.pid!,
    maxRssMB: () => maxRss,
    resetRss: () => {
      maxRss = 0;
    },
    stop: () =>
      new Promise<Stopped>((resolve, reject) => {
        stopped = resolve;
        child.once('exit', (code) => {
          if (code !== 0) reject(new Error(`server process exited with ${code}`));
        });
        child.send({ type: 'stop' });
      }),
  };
}
