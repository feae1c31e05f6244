import { FaultlineTrendChart } from './trend-chart.component.js';

export { FaultlineTrendChart };
if (!customElements.get('faultline-trend-chart')) customElements.define('faultline-trend-chart', FaultlineTrendChart);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-trend-chart': FaultlineTrendChart;
  }
}
