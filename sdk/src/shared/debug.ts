let enabled = false;

export function setDebug(on: boolean | undefined): void {
  enabled = !!on;
}

/**
 * Logs SDK internals when the `debug` option is on. Call it as
 * `if (typeof __DEBUG__ == 'undefined' || __DEBUG__) debugLog(...)` so the browser bundle drops the call.
 */
export function debugLog(message: string, detail?: unknown): void {
  // the one place the SDK may print, behind the debug option
  if (enabled) console.warn('[faultline] ' + message, detail === undefined ? '' : detail);
}
