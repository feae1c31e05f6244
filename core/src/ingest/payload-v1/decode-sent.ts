/**
 * FROZEN: how a version-1 payload `[1, recipe, sent]` decodes, as the code that wrote version 1 did it
 * (commit 3d87e31). Never change what it does; see ../event-payload.ts.
 */
import type { CanonicalEvent, IncomingEvent } from '../../event/types.js';
import { mapSentryEvent } from './map-sentry-event.js';
import { normalizeEvent } from './normalize-event.js';

/** What normalizing a version-1 event as sent depended on, recorded next to it. */
export interface RecipeV1 {
  format: 'sentry' | 'native';
  eventId: string;
  receivedAt: string;
  clientIp: string | null;
  maxStringLength: number;
  maxBreadcrumbs: number;
}

export function decodeSentV1(recipe: RecipeV1, sent: Record<string, unknown>): CanonicalEvent {
  const event = (recipe.format === 'sentry' ? mapSentryEvent(sent) : sent) as IncomingEvent;
  event.event_id = recipe.eventId;
  const limits = { maxStringLength: recipe.maxStringLength, maxBreadcrumbs: recipe.maxBreadcrumbs };
  return normalizeEvent(event, { receivedAt: new Date(recipe.receivedAt), clientIp: recipe.clientIp ?? undefined, limits });
}
