import { FaultlineSearchBar } from './search-bar.component.js';

export { FaultlineSearchBar };
if (!customElements.get('faultline-search-bar')) customElements.define('faultline-search-bar', FaultlineSearchBar);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-search-bar': FaultlineSearchBar;
  }
}
