import type { CanonicalEvent } from '../event/types.js';
import type { EventSearchFields } from '../providers/storage.js';
import { stripNul } from './strip-nul.js';

export type { EventSearchFields };


/**
 * Bounds per event. Frames: the 10 innermost distinct file names and functions; every one more is an
 * entry in the events' GIN index at ingest (bench:ingest's events have 20 frames).
 */
export const SEARCH_FIELD_LIMITS = { textChars: 4000, valueChars: 200, tags: 100, frames: 10 } as const;

export function eventSearchFields(event: CanonicalEvent): EventSearchFields {
  const lines: string[] = [];
  if (typeof event.message === 'string' && event.message !== '') lines.push(event.message);
  const filenames = new Set<string>();
  const functions = new Set<string>();
  for (const ex of event.exception?.values ?? []) {
    lines.push([ex.type, ex.value].filter((s) => typeof s === 'string' && s !== '').join(' '));
    // Innermost frames first (frames run oldest first): where the error was thrown is what people search.
    const frames = ex.stacktrace?.frames ?? [];
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      const file = frame.filename ?? frame.abs_path;
      if (typeof file === 'string' && file !== '' && filenames.size < SEARCH_FIELD_LIMITS.frames) filenames.add(cut(file));
      if (typeof frame.function === 'string' && frame.function !== '' && functions.size < SEARCH_FIELD_LIMITS.frames) {
        functions.add(cut(frame.function));
      }
    }
  }
  const tags: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(event.tags ?? {})) {
    if (count++ >= SEARCH_FIELD_LIMITS.tags) break;
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
  const text = wellFormed(lines.join('\n'));
  return {
    text: text.length > SEARCH_FIELD_LIMITS.textChars ? text.slice(0, SEARCH_FIELD_LIMITS.textChars) : text,
    tags,
    filenames: [...filenames],
    functions: [...functions],
  };
}

/** Lone surrogates become U+FFFD: jsonb refuses them (JSON.stringify writes them as \udxxx escapes). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(s: string): string {
  return stripNul(s).replace(LONE_SURROGATE, '\ufffd');
}

function cut(s: string): string {
  const clean = wellFormed(s);
  return clean.length > SEARCH_FIELD_LIMITS.valueChars ? clean.slice(0, SEARCH_FIELD_LIMITS.valueChars) : clean;
}
