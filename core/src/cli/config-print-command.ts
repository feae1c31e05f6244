import type { CliContext } from './open-faultline.js';
import { effectiveConfig, maskSecret, type EffectiveSetting } from './effective-config.js';

/** `faultline config print [--json]`: the effective configuration, each value's source, secrets masked. */
export async function configPrintCommand(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const settings = effectiveConfig(ctx.config).map((s) => (s.secret ? { ...s, value: maskSecret(s.value) } : s));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
    return;
  }
  process.stdout.write(formatTable(settings));
}

function formatTable(settings: EffectiveSetting[]): string {
  const rows = settings.map((s) => [s.name, show(s.value), s.source === 'env' ? `env ${s.env}` : s.source]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  (${r[2]})`).join('\n')}\n`;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
