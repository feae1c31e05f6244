import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The PostgreSQL server that holds a data directory, from its `postmaster.pid` (line 1 the pid, line 4
 * the port): a second process on the same embedded data directory (the CLI while the demo runs) connects
 * to that server instead of starting another one, which PostgreSQL would refuse.
 */
export interface RunningPostmaster {
  pid: number;
  port: number;
  /** The process that started it (the host app), when /proc says so. */
  parent: { pid: number; command: string } | null;
}

export async function findRunningPostmaster(dataDir: string): Promise<RunningPostmaster | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null; // a stale file: PostgreSQL itself ignores it
  return { pid, port: Number.isInteger(port) && port > 0 ? port : 0, parent: await parentOf(pid) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentOf(pid: number): Promise<RunningPostmaster['parent']> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = (await readFile(`/proc/${parentPid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
    return Number.isInteger(parentPid) && parentPid > 1 ? { pid: parentPid, command: command.slice(0, 200) } : null;
  } catch {
    return null;
  }
}

/** "process 123 (postgres, started by process 100: node dist/server.js)" */
export function describeHolder(running: RunningPostmaster): string {
  const parent = running.parent ? `, started by process ${running.parent.pid}: ${running.parent.command}` : '';
  return `process ${running.pid} (postgres${parent})`;
}
