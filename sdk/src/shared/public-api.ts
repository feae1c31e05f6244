/** What both entries (browser and Node) export besides their own `init`. */
export {
  addBreadcrumb,
  captureException,
  captureMessage,
  close,
  flush,
  lastEventId,
  setContext,
  setExtra,
  setFingerprint,
  setLevel,
  setTag,
  setTags,
  setUser,
  withScope,
} from './api.js';
export type { Breadcrumb, EventHint, FaultlineEvent, Level, Options, User } from './types.js';
export type { Scope } from './api.js';
