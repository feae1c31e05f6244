import { FaultlineDashboard } from './dashboard.component.js';

export { FaultlineDashboard };
if (!customElements.get('faultline-dashboard')) customElements.define('faultline-dashboard', FaultlineDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-dashboard': FaultlineDashboard;
  }
}
