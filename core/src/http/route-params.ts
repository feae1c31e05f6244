/** Path parameter schemas shared by the query, issue, admin and stream routes. */
export const PROJECT_ID = { type: 'integer', minimum: 1, maximum: 2147483647 };
export const ISSUE_ID = { type: 'string', pattern: '^[1-9][0-9]{0,18}$' };

/** `:id` of a project. */
export const projectParams = { type: 'object', required: ['id'], properties: { id: PROJECT_ID } };
/** `:id` of an issue. */
export const issueParams = { type: 'object', required: ['id'], properties: { id: ISSUE_ID } };
