/** Percentiles (nearest rank) and summary of a list of durations in milliseconds. */
export function summarize(ms: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)), mean: round(mean) };
}

export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
