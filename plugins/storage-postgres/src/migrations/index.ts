import { initialSchema } from './0001-initial-schema.js';
import { projectStatsAndReleaseIndex } from './0002-project-stats-and-release-index.js';
import { scheduledRuns } from './0003-scheduled-runs.js';
import { auditLog } from './0004-audit-log.js';
import { alertRules } from './0005-alert-rules.js';
import { retention } from './0006-retention.js';
import { search } from './0007-search.js';
import { scrubbing } from './0008-scrubbing.js';
import { issueTags } from './0009-issue-tags.js';
import { userSearch } from './0010-user-search.js';
import { issueFrames } from './0011-issue-frames.js';
import { partialEventSearchIndexes } from './0012-partial-event-search-indexes.js';
import { issueFramesTable } from './0013-issue-frames-table.js';
import type { Migration } from './migration.js';

/** Every migration, in order. Append new ones; never edit or reorder released ones. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, projectStatsAndReleaseIndex, scheduledRuns, auditLog, alertRules, retention, search, scrubbing, issueTags, userSearch, issueFrames, partialEventSearchIndexes, issueFramesTable];
