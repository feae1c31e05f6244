import { captureError, captureEvent } from '../shared/api.js';

/** Uncaught errors and unhandled rejections of the page. Returns a function that removes the handlers. */
export function installGlobalHandlers(): () => void {
  function onError(e: ErrorEvent): void {
    if (e.error != null) captureError(e.error, { type: 'onerror', handled: false });
    else if (e.message) captureEvent({ message: e.message });
  }
  function onRejection(e: PromiseRejectionEvent): void {
    captureError(e.reason, { type: 'onunhandledrejection', handled: false });
  }
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return function uninstall() {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  };
}
