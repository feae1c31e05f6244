import { describe } from 'mocha';
import { adminContract } from './admin-contract.js';
import { alertRulesContract } from './alert-rules-contract.js';
import { archiveContract } from './archive-contract.js';
import { auditContract } from './audit-contract.js';
import { scrubbingContract } from './scrubbing-contract.js';
import { eventQueriesContract } from './event-queries-contract.js';
import { issueQueriesContract } from './issue-queries-contract.js';
import { retentionContract } from './retention-contract.js';
import { scheduleClaimsContract } from './schedule-claims-contract.js';
import { storageContext, type StorageFactory } from './storage-fixtures.js';
import { storeBatchContract } from './store-batch-contract.js';

/**
 * Registers mocha tests that any StorageProvider must pass: `storageContract(() => myStorage())`.
 * The factory runs once for the suite (it gets `migrate()` then, and `close()` at the end); every case
 * makes its own project, so the storage may be shared with other tests. An area of the contract is a
 * file of its own here; a new area is a new file and one line below.
 */
export function storageContract(factory: StorageFactory): void {
  describe('storage contract', () => {
    const context = storageContext(factory);
    adminContract(context);
    storeBatchContract(context);
    issueQueriesContract(context);
    eventQueriesContract(context);
    scheduleClaimsContract(context);
    archiveContract(context);
    auditContract(context);
    scrubbingContract(context);
    alertRulesContract(context);
    retentionContract(context);
  });
}
