import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '../shared/proc.js';

/**
 * CPU seconds of the PostgreSQL processes working for one database: its backends and autovacuum workers
 * (their titles name the database). The server is shared with other work, so counting every postgres
 * process (postgres-usage.ts) measures that work too; this does not. Processes are sampled every 200 ms
 * so that one which ends between samples (an autovacuum worker) keeps most of what it used. WAL writer
 * and checkpointer serve every database and are left out.
 */
export function databaseCpu(databaseUrl: string): { stop(): number } {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const start = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = (first: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!title.startsWith('postgres:') || !title.split(' ').includes(name)) continue;
      } catch {
        continue; // the process ended
      }
      const cpu = cpuSeconds(pid);
      if (Number.isNaN(cpu)) continue;
      if (!start.has(pid)) start.set(pid, first ? cpu : 0);
      last.set(pid, cpu);
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 200);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (start.get(pid) ?? 0);
      return Math.round(total * 1000) / 1000;
    },
  };
}
