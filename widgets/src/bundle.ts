/**
 * The entry of dist/widgets.js: defines every custom element. Vaadin's a11y module touches
 * `document.body` when it loads, so a script tag in <head> (without `defer`) waits for the body. The
 * lists' first pages are asked for first, while the components' code runs.
 */
import { prefetchFirstPages } from './api/first-page-prefetch.js';

function load(): void {
  prefetchFirstPages(document);
  void import('./components/index.js');
}
if (document.body) load();
else document.addEventListener('DOMContentLoaded', load, { once: true });
