import { fork, type ChildProcess } from 'node:child_process';
import type { ServerMessage } from '../ingest/server.js';
import { serverEntry } from './server-entry.js';

type Ready = Extract<ServerMessage, { type: 'ready' }>;
type Stopped = Extract<ServerMessage, { type: 'stopped' }>;

export interface ServerProcess extends Omit<Ready, 'type'> {
  pid: number;
  /** The highest RSS sampled so far (MB). */
  maxRssMB(): number;
  /** The highest of each part of process.memoryUsage() sampled so far (MB). */
  maxMemory(): { rssMB: number; heapTotalMB: number; heapUsedMB: number; externalMB: number };
  /** Starts sampling afresh (after set-up, say). */
  resetRss(): void;
  stop(): Promise<Stopped>;
}

/** Forks bench/ingest/server.ts (a real Faultline on a fresh database) and waits until it listens. */
export async function startServerProcess(options: { cpuProfileDir?: string; sqlTiming?: boolean } = {}): Promise<ServerProcess> {
  const { script, execArgv } = await serverEntry(new URL('../ingest/server.ts', import.meta.url));
  if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child: ChildProcess = fork(script, [], {
    execArgv,
    env: { ...process.env, FAULTLINE_BENCH_SQL_TIMING: options.sqlTiming ? '1' : '0' },
    stdio: ['ignore', 2, 2, 'ipc'], // its output goes to stderr: stdout is for the JSON result
  });
  let maxRss = 0;
  let maxMem = { rssMB: 0, heapTotalMB: 0, heapUsedMB: 0, externalMB: 0 };
  let stopped: ((m: Stopped) => void) | null = null;
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code} before it was ready`)));
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'rss') {
        maxRss = Math.max(maxRss, m.rssMB);
        maxMem = {
          rssMB: Math.max(maxMem.rssMB, m.rssMB),
          heapTotalMB: Math.max(maxMem.heapTotalMB, m.heapTotalMB),
          heapUsedMB: Math.max(maxMem.heapUsedMB, m.heapUsedMB),
          externalMB: Math.max(maxMem.externalMB, m.externalMB),
        };
      }
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
    maxMemory: () => maxMem,
    resetRss: () => {
      maxRss = 0;
      maxMem = { rssMB: 0, heapTotalMB: 0, heapUsedMB: 0, externalMB: 0 };
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
