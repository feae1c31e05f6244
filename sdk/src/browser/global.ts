/**
 * Entry of the IIFE bundle (dist/faultline.browser.min.js): puts the API on `window.Faultline` for pages
 * without a bundler. A plain object, which is smaller than an IIFE's namespace of getters; the scope
 * setters come as `withScope` hands them out.
 */
import { scopeApi } from '../shared/api.js';
import { captureException, captureMessage, close, flush, init, lastEventId, withScope } from './index.js';

(globalThis as { Faultline?: unknown }).Faultline = {
  ...scopeApi,
  init,
  captureException,
  captureMessage,
  withScope,
  flush,
  close,
  lastEventId,
};
