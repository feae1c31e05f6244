import { MAX_BULK_ISSUES } from '../issues/issue-workflow.js';
import { ISSUE_STATUSES } from '../providers/storage.js';
import { ISSUE_ID } from './route-params.js';

const status = { type: 'string', enum: [...ISSUE_STATUSES] };
export const issuePatch = { type: 'object', required: ['status'], additionalProperties: false, properties: { status } };
export const bulkPatch = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status, ids: { type: 'array', minItems: 1, maxItems: MAX_BULK_ISSUES, items: ISSUE_ID } },
};
export const bulkQuery = {
  type: 'object',
  properties: { id: { anyOf: [ISSUE_ID, { type: 'array', maxItems: MAX_BULK_ISSUES, items: ISSUE_ID }] } },
};
