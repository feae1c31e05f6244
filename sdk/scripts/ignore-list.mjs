/**
 * Marks every source of an SDK bundle's source map as ignore-listed (`ignoreList`, and the older
 * `x_google_ignoreList` that Chrome DevTools reads). The console wrapper calls the app's `console.warn`
 * from the SDK's file; a browser that honours the list then shows the app's own line as the call site,
 * as it does for other SDKs that ship such maps.
 */
export function withIgnoreList(mapText) {
  const map = JSON.parse(mapText);
  map.ignoreList = map.x_google_ignoreList = map.sources.map((_source, i) => i);
  return JSON.stringify(map);
}
