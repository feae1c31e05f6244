import { FaultlineIssueList } from './issue-list.component.js';

export { FaultlineIssueList };
if (!customElements.get('faultline-issue-list')) customElements.define('faultline-issue-list', FaultlineIssueList);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-issue-list': FaultlineIssueList;
  }
}
