import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by each thread of a process, by thread id (the main thread's is the pid). */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads; // the process ended
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return threads;
}

/**
 * A process's CPU between two readings, split: its main thread, its `busiest` busiest other threads (the
 * ingest threads: the runs give them the work) and every other thread (GC helpers, libuv, tsx's loader).
 */
export function splitThreadCpu(pid: number, before: Map<number, number>, after: Map<number, number>, busiest: number) {
  const used = [...after].map(([tid, s]) => ({ tid, s: s - (before.get(tid) ?? 0) }));
  const main = used.find((t) => t.tid === pid)?.s ?? 0;
  const others = used.filter((t) => t.tid !== pid).sort((a, b) => b.s - a.s);
  const sum = (ts: { s: number }[]) => ts.reduce((a, t) => a + t.s, 0);
  return { main, ingestThreads: sum(others.slice(0, busiest)), other: sum(others.slice(busiest)) };
}
