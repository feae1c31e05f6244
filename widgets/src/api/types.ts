/** The shapes the widgets read, as the HTTP API sends them (one definition, in core; types only). */
export type { Issue, IssueStatus, StoredEvent, CanonicalEvent, StoredEventSummary, StackFrame, ExceptionValue, Breadcrumb, Page, TagSummary } from '@faultline/core';

export interface StatsPoint {
  t: string;
  count: number;
}
