import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Grant } from '../config.js';
import type { NewAuditEntry, StorageProvider } from '../providers/storage.js';

export interface AuditLog {
  /** Records an admin action by the caller of `req`. A failed write is logged, never undoes the action. */
  record(req: Request, grant: Grant, action: string, what: Partial<Pick<NewAuditEntry, 'projectId' | 'target' | 'details'>>): Promise<void>;
}

export function createAuditLog(deps: { storage(): StorageProvider; log: Logger }): AuditLog {
  return {
    async record(req, grant, action, what) {
      const entry: NewAuditEntry = {
        actor: grant.actor ?? 'unknown',
        action,
        projectId: what.projectId ?? null,
        target: what.target ?? null,
        ip: req.ip ?? null,
        details: what.details ?? {},
      };
      try {
        await deps.storage().recordAudit(entry);
      } catch (err) {
        deps.log.error({ err, action, actor: entry.actor }, 'audit log write failed');
      }
    },
  };
}
