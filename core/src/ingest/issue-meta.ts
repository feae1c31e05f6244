import type { CanonicalEvent, StackFrame } from '../event/types.js';
import type { GroupedEvent } from '../providers/storage.js';
import { stripNul } from './strip-nul.js';

const TITLE_MAX = 200;

/** Title, culprit, type and value of the issue an event belongs to (Sentry's conventions). */
export function issueMeta(event: CanonicalEvent): GroupedEvent['meta'] {
  const values = event.exception?.values ?? [];
  // Sentry's order: the outermost exception comes last.
  const main = values[values.length - 1];
  if (main) {
    const type = stripNul(main.type ?? 'Error');
    const value = stripNul(firstLine(main.value ?? ''));
    return {
      type,
      value,
      title: cut(value ? `${type}: ${value}` : type),
      culprit: cut(culprit(main.stacktrace?.frames ?? []) ?? stripNul(event.transaction ?? '')),
    };
  }
  const message = stripNul(firstLine(event.message ?? '')) || '<no message>';
  return { type: 'message', value: message, title: cut(message), culprit: cut(stripNul(event.transaction ?? event.logger ?? '')) };
}

/** The user an event counts towards in `userCount`, or null. */
export function userKey(event: CanonicalEvent): string | null {
  const u = event.user;
  if (!u) return null;
  if (u.id !== undefined && u.id !== null && u.id !== '') return `id:${stripNul(String(u.id))}`;
  if (u.email) return `email:${stripNul(u.email)}`;
  if (u.username) return `username:${stripNul(u.username)}`;
  if (u.ip_address) return `ip:${stripNul(u.ip_address)}`;
  return null;
}

/** The frame that threw, preferring the app's own code; frames run oldest first. */
function culprit(frames: StackFrame[]): string | null {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].in_app) return describe(frames[i]);
  return frames.length ? describe(frames[frames.length - 1]) : null;
}

function describe(frame: StackFrame): string {
  const where = frame.module ?? frame.filename ?? frame.abs_path ?? '?';
  return stripNul(frame.function ? `${frame.function} (${where})` : where);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function cut(s: string): string {
  return s.length > TITLE_MAX ? `${s.slice(0, TITLE_MAX - 1)}…` : s;
}
