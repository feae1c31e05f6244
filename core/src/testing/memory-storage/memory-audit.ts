import type { AuditEntry, AuditQuery, NewAuditEntry, Page } from '../../providers/storage.js';
import { decodeCursor, encodeCursor } from './memory-cursor.js';

/** The audit log: appended in order, read newest first by id, as the Postgres table is. */
export class MemoryAudit {
  private readonly entries: AuditEntry[] = [];

  record(entry: NewAuditEntry): void {
    this.entries.push({ ...structuredClone(entry), id: String(this.entries.length + 1), at: new Date().toISOString() });
  }

  list(query: AuditQuery): Page<AuditEntry> {
    const before = query.cursor ? Number(decodeCursor(query.cursor, 'audit').id) : Infinity;
    const allowed = query.projectIds === null ? null : new Set(query.projectIds);
    const matching = this.entries
      .filter((e) => Number(e.id) < before && (allowed === null || (e.projectId !== null && allowed.has(e.projectId))))
      .reverse();
    const data = matching.slice(0, query.limit).map((e) => structuredClone(e));
    const more = matching.length > query.limit;
    return { data, nextCursor: more ? encodeCursor('audit', '', data[data.length - 1].id) : null };
  }
}
