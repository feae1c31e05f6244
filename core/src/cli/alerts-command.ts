import { readFile } from 'node:fs/promises';
import { parseNewAlertRule } from '../http/alert-rule-schema.js';
import { maskRule } from '../alerts/alert-secrets.js';
import { FaultlineError } from '../errors.js';
import type { AlertRule } from '../providers/alert-rules.js';
import { openFaultline, type CliContext } from './open-faultline.js';

type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);

function projectId(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', '--project <id> names a project by its number', { path: 'project' });
  return id;
}

function describeRule(rule: AlertRule): string {
  const trigger = rule.trigger;
  const what = 'count' in trigger ? `${trigger.type} > ${trigger.count} in ${trigger.minutes} min` : trigger.type === 'level' ? `level >= ${trigger.level}` : trigger.type === 'summary' ? `${trigger.period} summary at ${trigger.hour}:00 ${trigger.timezone}` : trigger.type;
  return `${rule.id}\t${rule.enabled ? 'on ' : 'off'}\t${rule.name}\t${what}\t-> ${rule.actions.map((a) => a.channel).join(', ')}`;
}

/** `faultline alerts list --project <id> [--json]`: a project's rules, secrets masked. */
export async function alertsListCommand(ctx: CliContext, options: { project?: string; json?: boolean }, out: Out = stdout): Promise<void> {
  const id = projectId(options.project);
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const rules = (await faultline.storage.listAlertRules({ projectId: id })).map((r) => maskRule(r, faultline.alertChannels));
    if (options.json) out(JSON.stringify({ rules }));
    else if (rules.length === 0) out(`Project ${id} has no alert rules`);
    else for (const rule of rules) out(describeRule(rule));
  } finally {
    await faultline.stop();
  }
}

/** `faultline alerts create --project <id> (--file rule.json | --rule '<json>') [--json]`: validated as the API does. */
export async function alertsCreateCommand(ctx: CliContext, options: { project?: string; file?: string; rule?: string; json?: boolean }, out: Out = stdout): Promise<void> {
  const id = projectId(options.project);
  if (!options.file === !options.rule) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'Give the rule with --file <rule.json> or --rule <json>', { path: 'rule' });
  let body: unknown;
  try {
    body = JSON.parse(options.file ? await readFile(options.file, 'utf8') : options.rule!);
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `The rule is not JSON: ${(err as Error).message}`, { path: 'rule' });
  }
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    if (!(await faultline.storage.getProject(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `Project ${id} not found`);
    const rule = await faultline.storage.createAlertRule(parseNewAlertRule(body, id, faultline.alertChannels));
    out(options.json ? JSON.stringify(maskRule(rule, faultline.alertChannels)) : `Created alert rule ${describeRule(rule)}`);
  } finally {
    await faultline.stop();
  }
}

/** `faultline alerts test <ruleId>`: a test message through each of the rule's actions; fails if one fails. */
export async function alertsTestCommand(ctx: CliContext, ruleId: string, options: { json?: boolean }, out: Out = stdout): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const rule = await faultline.storage.getAlertRule(ruleId);
    if (!rule) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `Alert rule ${ruleId} not found`);
    const results: { action: number; channel: string; ok: boolean; error?: string; receiverId?: string }[] = [];
    for (const [i, { channel, ...config }] of rule.actions.entries()) {
      try {
        const sent = await faultline.alertChannels.test(channel, config);
        results.push({ action: i, channel, ok: true, ...(sent.receiverId ? { receiverId: sent.receiverId } : {}) });
      } catch (err) {
        results.push({ action: i, channel, ok: false, error: (err as Error).message });
      }
    }
    if (options.json) out(JSON.stringify({ rule: rule.id, results }));
    else for (const r of results) out(`actions[${r.action}] ${r.channel}: ${r.ok ? 'sent' : `failed: ${r.error}`}`);
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0) throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `${failed} of ${results.length} test messages failed`);
  } finally {
    await faultline.stop();
  }
}
