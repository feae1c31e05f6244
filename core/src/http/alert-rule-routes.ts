import { Router, type Request } from 'express';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';
import { newRule, parseAlertRulePatch, parseNewAlertRule, rulePatch } from './alert-rule-schema.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { ALERT_DELIVERY, ALERT_RULE, listOf, pageOf } from '../openapi/api-shapes.js';
import { maskRule, unmaskActions } from '../alerts/alert-secrets.js';
import { requireProject, requireRole } from '../auth/grants.js';
import type { Grant } from '../config.js';
import { FaultlineError } from '../errors.js';
import { ALERT_DELIVERY_STATUSES, type AlertDeliveryStatus, type AlertRule } from '../providers/alert-rules.js';
import type { StorageProvider } from '../providers/storage.js';
import { parseInput } from './parse-input.js';

const id = { type: 'integer', minimum: 1, maximum: 2147483647 };
const ruleId = { type: 'string', pattern: '^[1-9][0-9]{0,17}$' };
const projectParams = { type: 'object', required: ['id'], properties: { id } };
const ruleParams = { type: 'object', required: ['id', 'ruleId'], properties: { id, ruleId } };
const deliveryQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { enum: [...ALERT_DELIVERY_STATUSES] }, limit: { type: 'integer', minimum: 1, maximum: 500 }, before: ruleId },
};

export interface AlertRuleRouteDeps {
  storage(): StorageProvider;
  grant(req: Request): Promise<Grant>;
  alertChannels: AlertChannelRegistry;
  /** A rule was created, changed or deleted (evaluation reads rules again). */
  changed(): void;
}

/** Alert rules of a project and their delivery log; admin role. Secrets in actions are answered masked. */
export function alertRuleRoutes(deps: AlertRuleRouteDeps): Router {
  const router = Router();
  const base = '/api/v1/projects/:id/alert-rules';

  async function projectFor(req: Request): Promise<number> {
    const { id: projectId } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, projectId);
    requireRole(grant, 'admin');
    if (!(await deps.storage().getProject(projectId))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    return projectId;
  }

  async function ruleFor(req: Request): Promise<AlertRule> {
    const projectId = await projectFor(req);
    const { ruleId: wanted } = parseInput<{ ruleId: string }>(ruleParams, req.params, 'params');
    const rule = await deps.storage().getAlertRule(wanted);
    if (!rule || rule.projectId !== projectId) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Alert rule not found');
    return rule;
  }

  const answer = (rule: AlertRule) => maskRule(rule, deps.alertChannels);

  router.get(base, async function listAlertRules(req, res) {
    const projectId = await projectFor(req);
    res.json({ data: (await deps.storage().listAlertRules({ projectId })).map(answer) });
  });

  router.post(base, async function createAlertRule(req, res) {
    const projectId = await projectFor(req);
    const rule = await deps.storage().createAlertRule(parseNewAlertRule(req.body, projectId, deps.alertChannels));
    deps.changed();
    res.status(201).json(answer(rule));
  });

  router.get(`${base}/:ruleId`, async function getAlertRule(req, res) {
    res.json(answer(await ruleFor(req)));
  });

  router.patch(`${base}/:ruleId`, async function updateAlertRule(req, res) {
    const rule = await ruleFor(req);
    const body = req.body && typeof req.body === 'object' && 'actions' in req.body
      ? { ...req.body, actions: unmaskActions(req.body.actions, rule.actions, deps.alertChannels) }
      : req.body;
    const updated = await deps.storage().updateAlertRule(rule.id, parseAlertRulePatch(body, deps.alertChannels));
    if (!updated) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Alert rule not found');
    deps.changed();
    res.json(answer(updated));
  });

  router.delete(`${base}/:ruleId`, async function deleteAlertRule(req, res) {
    const rule = await ruleFor(req);
    if (!(await deps.storage().deleteAlertRule(rule.id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Alert rule not found');
    deps.changed();
    res.status(204).end();
  });

  router.get(`${base}/:ruleId/deliveries`, async function listDeliveries(req, res) {
    const rule = await ruleFor(req);
    const query = parseInput<{ status?: AlertDeliveryStatus; limit?: number; before?: string }>(deliveryQuery, req.query, 'query');
    const data = await deps.storage().listAlertDeliveries(rule.id, { limit: 50, ...query });
    res.json({ data, nextCursor: data.length === (query.limit ?? 50) ? data[data.length - 1].id : null });
  });

  return router;
}

const path = '/api/v1/projects/{id}/alert-rules';
const rule = (operationId: string, summary: string, more: Partial<ApiOperation>): ApiOperation =>
  ({ path, operationId, summary, tags: ['alerts'], security: 'secretToken', params: projectParams, method: 'get', responses: {}, ...more }) as ApiOperation;

/** The OpenAPI operations of these routes (the schemas are the ones the routes validate with). */
export const alertRuleOperations: ApiOperation[] = [
  rule('listAlertRules', 'A project’s alert rules, secrets masked', {
    responses: { 200: { description: 'Every rule of the project', schema: listOf(ALERT_RULE) }, ...tokenErrors(400, 403, 404) },
  }),
  rule('createAlertRule', 'Create an alert rule (the channel checks its own config)', {
    method: 'post',
    body: { schema: newRule },
    responses: { 201: { description: 'The rule, secrets masked', schema: ALERT_RULE }, ...tokenErrors(400, 403, 404) },
  }),
  rule('getAlertRule', 'One alert rule, secrets masked', {
    path: `${path}/{ruleId}`,
    params: ruleParams,
    responses: { 200: { description: 'The rule', schema: ALERT_RULE }, ...tokenErrors(400, 403, 404) },
  }),
  rule('updateAlertRule', 'Change an alert rule (a masked secret sent back keeps the stored one)', {
    method: 'patch',
    path: `${path}/{ruleId}`,
    params: ruleParams,
    body: { schema: rulePatch },
    responses: { 200: { description: 'The rule as changed', schema: ALERT_RULE }, ...tokenErrors(400, 403, 404) },
  }),
  rule('deleteAlertRule', 'Delete an alert rule with its deliveries', {
    method: 'delete',
    path: `${path}/{ruleId}`,
    params: ruleParams,
    responses: { 204: { description: 'Deleted' }, ...tokenErrors(400, 403, 404) },
  }),
  rule('listAlertDeliveries', 'A rule’s delivery log, newest first', {
    path: `${path}/{ruleId}/deliveries`,
    params: ruleParams,
    query: deliveryQuery,
    responses: { 200: { description: 'A page of deliveries (`before` = the last id for the next page)', schema: pageOf(ALERT_DELIVERY) }, ...tokenErrors(400, 403, 404) },
  }),
];
