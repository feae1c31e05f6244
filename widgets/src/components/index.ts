/** Every component, defined on import: `import '@faultline/widgets/components'`. */
export { FaultlineDashboard } from './dashboard/dashboard.js';
export { FaultlineIssueDetail } from './issue-detail/issue-detail.js';
export { FaultlineIssueList } from './issue-list/issue-list.js';
export { FaultlineLiveStatus } from './live-status/live-status.js';
export { FaultlineSearchBar } from './search-bar/search-bar.js';
export { FaultlineTrendChart } from './trend-chart/trend-chart.js';
export { ApiError, FaultlineClient } from '../api/client.js';
export { LiveStream, type LiveMessage, type LiveState } from '../api/live-stream.js';
export type { FaultlineEventMap, FaultlineEventName } from '../events/events.js';
