/**
 * PostgreSQL text columns cannot hold NUL. Only strings that become columns are cleaned (release,
 * environment, platform, issue title and friends, user key); the payload is JSON text, where a NUL is
 * the escape `\u0000` and is kept as sent.
 */
export function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
}
