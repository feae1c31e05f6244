/**
 * Entry of the IIFE bundle (dist/faultline.browser.min.js): puts the API on `window.Faultline` for pages
 * without a bundler. A plain object, which is smaller than an IIFE's namespace of getters.
 */
import {
  addBreadcrumb,
  captureException,
  captureMessage,
  close,
  flush,
  init,
  lastEventId,
  setContext,
  setExtra,
  setFingerprint,
  setLevel,
  setTag,
  setTags,
  setUser,
  withScope,
} from './index.js';

(globalThis as { Faultline?: unknown }).Faultline = {
  init,
  captureException,
  captureMessage,
  addBreadcrumb,
  setUser,
  setTag,
  setTags,
  setContext,
  setExtra,
  setLevel,
  setFingerprint,
  withScope,
  flush,
  close,
  lastEventId,
};
