/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time, and self time
 * grouped by where the code lives (core, storage plugin, pg, ajv, express, node internals, GC, idle).
 *   node --import tsx bench/shared/cpu-profile-summary.ts <file.cpuprofile> [top=30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const fnTotals = new Map<string, number>();
const areaTotals = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace('/work/main/', '');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
  const area = areaOf(functionName, url);
  areaTotals.set(area, (areaTotals.get(area) ?? 0) + us);
}

function areaOf(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(program)') return 'program (native, unattributed)';
  if (url.includes('/node_modules/ajv')) return 'ajv';
  if (url.includes('/node_modules/pg') || url.includes('/node_modules/pg-')) return 'pg driver';
  if (url.includes('/node_modules/express') || url.includes('/node_modules/router') || url.includes('/node_modules/body-parser')) return 'express/router';
  if (url.includes('/node_modules/tsx') || url.includes('/node_modules/esbuild')) return 'tsx/esbuild (loading)';
  if (url.includes('/node_modules/')) return `npm:${url.split('/node_modules/').pop()!.split('/')[0]}`;
  if (url.includes('/core/src/')) return `core:${url.split('/core/src/')[1]}`;
  if (url.includes('/plugins/storage-postgres/')) return `storage-postgres:${url.split('/src/')[1]}`;
  if (url.startsWith('node:') || url === '') return fn ? `node/native:${fn}` : 'node/native';
  return url;
}

// Inclusive time per function (self + callees), counted once per stack even under recursion.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
    if (!functionName || functionName.startsWith('(')) continue;
    const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm:').replace('/work/main/', '');
    const key = `${functionName} ${short}:${lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1)}%`;
const top = Number(topArg ?? 30);
process.stdout.write(`total sampled ${(totalUs / 1e6).toFixed(2)} s\n\nby area:\n`);
for (const [area, us] of [...areaTotals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${area}\n`);
}
process.stdout.write('\ntop functions by self time:\n');
for (const [fn, us] of [...fnTotals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${fn}\n`);
}
process.stdout.write('\ntop functions by inclusive time:\n');
for (const [fn, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${fn}\n`);
}
