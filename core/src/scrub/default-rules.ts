import { isIP } from 'node:net';

/**
 * What core filters in every project: values under sensitive key names, and card numbers. Key names
 * are compared without case, `-`, `_`, `.` or spaces, and match when they contain a term anywhere
 * (`X-Api-Key`, `db_password`, `sessionId`, `credit_card_number`), as Sentry's default scrubber does.
 */
export const DEFAULT_KEY_TERMS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'session',
  'csrf',
  'xsrf',
  'creditcard',
  'cardnumber',
  'ccnumber',
  'cvv',
  'cvc',
  'privatekey',
] as const;

/** What Sentry writes in place of a filtered value. */
export const FILTERED = '[Filtered]';

/** A key name as compared with the terms. */
export function keyForm(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

// 13 to 19 digits, optionally grouped by spaces or dashes, starting like a card network's numbers
// (2-6: Mastercard, Visa, Amex, Diners, JCB, Discover, UnionPay), so epoch milliseconds do not match.
// The quantifiers are bounded: at most 19 steps from any start, no catastrophic backtracking.
const CARD_CANDIDATE = /(?<![\d-])[2-6](?:[ -]?\d){12,18}(?![\d])/g;

/** Whether digits pass the Luhn check that every card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card numbers (Luhn-checked) in a string become `[Filtered]`; the rest of the string stays. */
export function filterCardNumbers(text: string): string {
  if (!/\d{4}/.test(text)) return text;
  return text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? FILTERED : match;
  });
}

/** A number written as digits that is a card number. */
export function isCardNumber(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 1e12) return false;
  const digits = String(value);
  return /^[2-6]/.test(digits) && luhnValid(digits);
}

const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /[A-Za-z0-9.-]/;

/**
 * E-mail addresses become `[Filtered]`. Scanned outwards from each `@` rather than with one regular
 * expression, whose backtracking over a long run of letters without a match would be quadratic.
 */
export function filterEmails(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && LOCAL.test(text[start - 1])) start--;
    let end = at + 1;
    while (end < text.length && DOMAIN.test(text[end])) end++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const domain = text.slice(at + 1, end);
    if (start === at || !/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) continue;
    out += text.slice(copied, start) + FILTERED;
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// Runs of the characters an address is written with; each run is checked with node:net's isIP.
const IP_CANDIDATE = /[0-9A-Fa-f:.]{2,}/g;

/** IPv4 and IPv6 addresses become `[Filtered]`. */
export function filterIpAddresses(text: string): string {
  if (!text.includes('.') && !text.includes(':')) return text;
  return text.replace(IP_CANDIDATE, (run) => {
    if (isIP(run)) return FILTERED;
    // An address followed by a port or a sentence's full stop: "10.0.0.1:8080", "from 10.0.0.1."
    const trimmed = run.replace(/[:.]+\d*$/, '').replace(/[.:]$/, '');
    if (trimmed !== run && isIP(trimmed)) return FILTERED + run.slice(trimmed.length);
    return run;
  });
}
