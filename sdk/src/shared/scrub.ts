/**
 * What never leaves the app, in one place for every part of an event (request, breadcrumbs, extra,
 * contexts, user, messages): values under secret-looking keys, whether the key is an object key or a
 * query or form parameter in a string; and cookies unless `sendDefaultPii`. normalize.ts applies them
 * while it copies an event.
 */
const SECRET_KEY = /pass|secret|token|auth|(api|access|private).?key|^key$|cred|[cx]srf|session|signature/i;
const COOKIE_KEY = /cookie/i;
/** `name=value` in a query string, a fragment, a form body or free text: the value runs to `&`, `#`, `;` or a space. */
const PAIR = /(^|[?&#;\s])([^=&#;?\s]+)=([^&#;\s]*)/g;
export const FILTERED = '[Filtered]';

export function isSecret(key: string, keepCookies?: boolean): boolean {
  return SECRET_KEY.test(key) || (!keepCookies && COOKIE_KEY.test(key));
}

/** A string (URL, query string, message) with the values of secret-looking parameters filtered. */
export function scrubUrl(text: string): string {
  return text.replace(PAIR, (pair, sep: string, name: string) => (isSecret(name) ? sep + name + '=' + FILTERED : pair));
}
