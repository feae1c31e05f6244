import { ROLES } from '../providers/storage.js';
import { PROJECT_ID } from './route-params.js';

export const keyParams = {
  type: 'object',
  required: ['id', 'keyId'],
  properties: { id: PROJECT_ID, keyId: PROJECT_ID },
};
export const tokenParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };
export const newProject = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,49}$' },
  },
};
export const newKey = {
  type: 'object',
  additionalProperties: false,
  properties: {
    label: { type: 'string', maxLength: 200 },
    allowedOrigins: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 500 } },
    rateLimitPerMinute: { type: ['integer', 'null'], minimum: 0 },
  },
};
export const newToken = {
  type: 'object',
  required: ['role'],
  additionalProperties: false,
  properties: {
    role: { type: 'string', enum: [...ROLES] },
    label: { type: 'string', maxLength: 200 },
    projectIds: { type: ['array', 'null'], maxItems: 1000, items: { type: 'integer', minimum: 1 } },
  },
};

export const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    project: PROJECT_ID,
    cursor: { type: 'string', maxLength: 1000 },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  },
};
