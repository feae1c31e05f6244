/** What `searchOpenSearch()` takes; every field but `url` has a default. */
export interface OpenSearchOptions {
  /** The cluster, as `http(s)://user:pass@host:9200`; default FAULTLINE_OPENSEARCH_URL. */
  url?: string;
  /** Index names are `<prefix>-YYYY.MM.DD` (one per UTC day of `received_at`); the template matches `<prefix>-*`. */
  indexPrefix: string;
  /** Whole daily indices older than this many days are deleted (hourly). */
  retentionDays: number;
  /** Events per bulk request. */
  batchSize: number;
  /** One request's timeout, and the client's own retries of a failed request (connection errors, 502-504). */
  requestTimeoutMs: number;
  maxRetries: number;
  /** Attempts of an indexing job (retried with backoff by `jobs`, then dead-lettered). */
  indexAttempts: number;
  /** At most this many issues are taken from one event-level term of an issue search. */
  maxIssuesPerTerm: number;
}

export const defaultOptions: OpenSearchOptions = {
  indexPrefix: 'faultline-events',
  retentionDays: 90,
  batchSize: 500,
  requestTimeoutMs: 10_000,
  maxRetries: 2,
  indexAttempts: 8,
  maxIssuesPerTerm: 10_000,
};
