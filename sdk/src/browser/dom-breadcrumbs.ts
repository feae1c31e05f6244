import { addBreadcrumb } from '../shared/api.js';
import { wrap } from './wrap.js';

/** `console.warn` and `console.error` calls become breadcrumbs (the call still prints). */
export function consoleBreadcrumbs(): Array<() => void> {
  return ['warn', 'error'].map((name) =>
    wrap(console as unknown as Record<string, (...a: unknown[]) => void>, name, (orig) =>
      function consoleCrumb(this: unknown, ...args: unknown[]) {
        try {
          addBreadcrumb({ category: 'console', level: name == 'warn' ? 'warning' : 'error', message: args.map(String).join(' ') });
        } catch {
          // String() throws on an object without a prototype; the app's call goes on
        }
        return orig.apply(this, args);
      },
    ),
  );
}

/** `button#save.primary`: enough to find the element, no text content (it may be personal). */
function describe(el: unknown): string {
  const e = el as Element;
  if (!e || !e.tagName) return '?';
  let s = e.tagName.toLowerCase();
  if (e.id) s += '#' + e.id;
  const cls = typeof e.className == 'string' ? e.className.trim() : '';
  if (cls) s += '.' + cls.split(/\s+/).slice(0, 2).join('.');
  return s;
}

/** Clicks become `ui.click` breadcrumbs. */
export function clickBreadcrumbs(): () => void {
  function onClick(e: Event): void {
    addBreadcrumb({ category: 'ui.click', message: describe(e.target) });
  }
  document.addEventListener('click', onClick, true);
  return () => document.removeEventListener('click', onClick, true);
}

/** History changes (pushState, replaceState, back/forward) become `navigation` breadcrumbs. */
export function navigationBreadcrumbs(): Array<() => void> {
  let from = location.href;
  function moved(): void {
    const to = location.href;
    if (to !== from) addBreadcrumb({ category: 'navigation', data: { from, to } });
    from = to;
  }
  addEventListener('popstate', moved);
  const undo = (['pushState', 'replaceState'] as const).map((name) =>
    wrap(history, name, (orig) =>
      function historyCrumb(this: History, ...args: Parameters<History['pushState']>) {
        const r = orig.apply(this, args);
        moved();
        return r;
      },
    ),
  );
  undo.push(() => removeEventListener('popstate', moved));
  return undo;
}
