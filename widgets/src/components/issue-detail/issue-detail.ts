import { FaultlineIssueDetail } from './issue-detail.component.js';

export { FaultlineIssueDetail };
if (!customElements.get('faultline-issue-detail')) customElements.define('faultline-issue-detail', FaultlineIssueDetail);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-issue-detail': FaultlineIssueDetail;
  }
}
