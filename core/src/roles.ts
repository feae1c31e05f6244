/** Roles a secret token or an `authorize(req)` grant carries, least to most. Here, below config and storage, which both name them. */
export const ROLES = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];
