/**
 * A project's own scrubbing rules, on top of the defaults every project gets (scrub/default-rules.ts),
 * as the storage provider keeps them.
 */
export interface ScrubbingRules {
  /** More key names to filter: matched like the default ones (case and `-`/`_` ignored, anywhere in the key). */
  keys: string[];
  /** Value patterns (RE2 syntax: linear time, no back-references or look-around); each match becomes `[Filtered]`. */
  patterns: string[];
  /** Filter e-mail addresses in every string (user.email included). */
  emails: boolean;
  /** Filter IPv4 and IPv6 addresses in every string (user.ip_address included). */
  ipAddresses: boolean;
}

/** The rules as stored: `version` grows with every change, so a thread knows when to compile them again. */
export interface ProjectScrubbing extends ScrubbingRules {
  version: number;
  /** ISO time of the last change; null for a project that never set any. */
  updatedAt: string | null;
}
