/**
 * The canonical event's types are written once, in @faultline/event-types, which the SDK shares. What
 * core adds here is the runtime list of levels that validation and search need.
 */
import type { Level } from '@faultline/event-types';

export type * from '@faultline/event-types';

export const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const satisfies readonly Level[];

// Fails to compile when a level is added to the type but not to the list.
const everyLevelListed: Exclude<Level, (typeof LEVELS)[number]> extends never ? true : false = true;
void everyLevelListed;
