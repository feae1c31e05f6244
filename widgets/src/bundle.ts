/**
 * The entry of dist/widgets.js: defines every custom element. Vaadin's a11y module touches
 * `document.body` when it loads, so a script tag in <head> (without `defer`) waits for the body.
 */
function load(): void {
  void import('./components/index.js');
}
if (document.body) load();
else document.addEventListener('DOMContentLoaded', load, { once: true });
