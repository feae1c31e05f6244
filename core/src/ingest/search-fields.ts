import type { CanonicalEvent } from '../event/types.js';
import type { EventSearchFields } from '../providers/storage.js';
import { stripNul } from './strip-nul.js';

export type { EventSearchFields };


/**
 * Bounds per event. Frames: the 10 innermost distinct file names and functions; every one more is an
 * entry in the events' GIN index at ingest (bench:ingest's events have 20 frames).
 */
export const SEARCH_FIELD_LIMITS = { textChars: 4000, valueChars: 200, tags: 100, frames: 10 } as const;

/**
 * What search keeps of an event, built once per event at grouping (so every event pays for it): plain
 * loops, no intermediate arrays, and strings cleaned only when they need it (NUL, lone surrogates: both
 * rare, both checked for at native speed first). Frames stop being read once both lists are full.
 */
export function eventSearchFields(event: CanonicalEvent): EventSearchFields {
  let text = typeof event.message === 'string' ? event.message : '';
  const filenames = new Set<string>();
  const functions = new Set<string>();
  const max = SEARCH_FIELD_LIMITS.frames;
  for (const ex of event.exception?.values ?? []) {
    const type = typeof ex.type === 'string' ? ex.type : '';
    const value = typeof ex.value === 'string' ? ex.value : '';
    const line = type !== '' && value !== '' ? `${type} ${value}` : type + value;
    text = text === '' ? line : `${text}\n${line}`;
    // Innermost frames first (frames run oldest first): where the error was thrown is what people search.
    const frames = ex.stacktrace?.frames ?? [];
    for (let i = frames.length - 1; i >= 0 && (filenames.size < max || functions.size < max); i--) {
      const frame = frames[i];
      const file = frame.filename ?? frame.abs_path;
      if (typeof file === 'string' && file !== '' && filenames.size < max) filenames.add(cut(file));
      if (typeof frame.function === 'string' && frame.function !== '' && functions.size < max) functions.add(cut(frame.function));
    }
  }
  const tags: Record<string, string> = {};
  let count = 0;
  const source = event.tags ?? {};
  for (const key in source) {
    if (count++ >= SEARCH_FIELD_LIMITS.tags) break;
    const value = source[key];
    if (typeof value === 'string') tags[cut(key)] = cut(value);
  }
  const user = event.user;
  if (user) {
    const add = (key: string, value: unknown) => {
      if ((typeof value === 'string' && value !== '') || typeof value === 'number') tags[key] = cut(String(value));
    };
    add('user.id', user.id);
    add('user.email', user.email);
    add('user.username', user.username);
    add('user.ip', user.ip_address);
  }
  text = wellFormed(text);
  return {
    text: text.length > SEARCH_FIELD_LIMITS.textChars ? text.slice(0, SEARCH_FIELD_LIMITS.textChars) : text,
    tags,
    filenames: [...filenames],
    functions: [...functions],
  };
}

/** Lone surrogates become U+FFFD: jsonb refuses them (JSON.stringify writes them as \udxxx escapes). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SURROGATE = /[\ud800-\udfff]/;
/** A NUL or any surrogate: both rare, and one native test looks for both. */
const SUSPECT = /[\u0000\ud800-\udfff]/;

function wellFormed(s: string): string {
  if (!SUSPECT.test(s)) return s;
  const clean = stripNul(s);
  return SURROGATE.test(clean) ? clean.replace(LONE_SURROGATE, '\ufffd') : clean;
}

function cut(s: string): string {
  const clean = wellFormed(s);
  return clean.length > SEARCH_FIELD_LIMITS.valueChars ? clean.slice(0, SEARCH_FIELD_LIMITS.valueChars) : clean;
}
