import type { Issue, IssueStatus } from '../api/types.js';
import type { LiveState } from '../api/live-stream.js';

/** Every event the widgets emit: bubbling and composed, so a host hears them from outside shadow roots. */
export interface FaultlineEventMap {
  /** A person chose an issue (click, Enter, or the dashboard's route). */
  'faultline-issue-select': { issue: Issue };
  /** Issues changed status through a widget; `issues` are the server's answers. */
  'faultline-status-change': { issues: Issue[]; status: IssueStatus };
  /** The dashboard moved between the list (`/`) and an issue (`/issues/<id>`); a host that sets `route` follows it. */
  'faultline-route-change': { route: string };
  /** The search bar's query was submitted. */
  'faultline-search': { query: string };
  /** The live stream connected, dropped or is retrying. */
  'faultline-live-state': { state: LiveState; detail?: string };
  /** The issue list drew a page it fetched; `total` is how many issues the list holds (up to 100,000). */
  'faultline-issues-loaded': { total: number };
  /** A call to the API failed; the widget shows it too. */
  'faultline-error': { status: number; code: string; message: string };
}

export type FaultlineEventName = keyof FaultlineEventMap;

export function emit<K extends FaultlineEventName>(target: EventTarget, name: K, detail: FaultlineEventMap[K]): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: true }));
}

declare global {
  interface HTMLElementEventMap {
    'faultline-issue-select': CustomEvent<FaultlineEventMap['faultline-issue-select']>;
    'faultline-status-change': CustomEvent<FaultlineEventMap['faultline-status-change']>;
    'faultline-route-change': CustomEvent<FaultlineEventMap['faultline-route-change']>;
    'faultline-search': CustomEvent<FaultlineEventMap['faultline-search']>;
    'faultline-live-state': CustomEvent<FaultlineEventMap['faultline-live-state']>;
    'faultline-issues-loaded': CustomEvent<FaultlineEventMap['faultline-issues-loaded']>;
    'faultline-error': CustomEvent<FaultlineEventMap['faultline-error']>;
  }
}
