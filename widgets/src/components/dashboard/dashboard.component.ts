import { css, html, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LiveStream, type LiveMessage, type LiveState } from '../../api/live-stream.js';
import { emit } from '../../events/events.js';
import { FaultlineElement } from '../../shared/faultline-element.js';
import type { FaultlineIssueDetail } from '../issue-detail/issue-detail.component.js';
import '../issue-detail/issue-detail.js';
import type { FaultlineIssueList } from '../issue-list/issue-list.component.js';
import '../issue-list/issue-list.js';
import '../live-status/live-status.js';
import '../search-bar/search-bar.js';
import type { FaultlineTrendChart } from '../trend-chart/trend-chart.component.js';
import '../trend-chart/trend-chart.js';

/** How long live news is gathered before views reload, so a burst of events costs one reload. */
const LIVE_DEBOUNCE_MS = 150;
/** The longest the chart and the live stream wait for the list's first page. */
const FIRST_ROWS_WAIT_MS = 1500;

/**
 * Everything in one tag: search, trend, issue list and issue page, kept live by the project's stream.
 * It routes with the location hash (`#/issues/<id>`) unless the host sets `route` itself (then it only
 * emits `faultline-route-change` and the host decides).
 *
 * @event faultline-issue-select - an issue was chosen in the list
 * @event faultline-route-change - the list or an issue should be shown
 * @event faultline-live-state - the live stream connected or dropped
 * @csspart toolbar - search and live status
 * @csspart back - the link back to the list
 */
export class FaultlineDashboard extends FaultlineElement {
  static override styles = [
    ...FaultlineElement.styles,
    css`
      :host {
        display: block;
        color: var(--_text);
        background: var(--_bg);
        padding: var(--faultline-dashboard-padding, 0);
      }
      [part='toolbar'] {
        display: flex;
        gap: 1em;
        align-items: center;
        margin-bottom: 0.5em;
      }
      faultline-search-bar {
        flex: 1;
      }
      a {
        color: var(--_accent);
      }
      .back {
        display: inline-block;
        margin-bottom: 0.75em;
      }
    `,
  ];

  /** `/` for the list, `/issues/<id>` for an issue; setting it turns hash routing off. */
  @property() accessor route: string | null = null;
  /** Turns the live stream off. */
  @property({ type: Boolean, attribute: 'no-live' }) accessor noLive = false;

  @state() private accessor hashRoute = '/';
  @state() private accessor query = '';
  @state() private accessor liveState: LiveState = 'connecting';
  @state() private accessor liveDetail = '';
  @query('faultline-issue-list') private accessor list!: FaultlineIssueList | null;
  @query('faultline-issue-detail') private accessor detail!: FaultlineIssueDetail | null;
  @query('faultline-trend-chart') private accessor chart!: FaultlineTrendChart | null;

  /**
   * Until the list's first rows are in, the chart and the live stream wait: the first page is what a
   * visitor came for, and on a busy server the calls would share its time.
   */
  @state() private accessor firstRowsPending = true;

  private stream: LiveStream | null = null;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private firstRowsTimer: ReturnType<typeof setTimeout> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.onHash();
    this.firstRowsTimer = setTimeout(this.onFirstRows, FIRST_ROWS_WAIT_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    if (this.firstRowsTimer) clearTimeout(this.firstRowsTimer);
    this.stream?.stop();
    this.stream = null;
  }

  protected override willUpdate(): void {
    if (this.firstRowsPending && this.currentRoute !== '/') this.onFirstRows();
  }

  protected override updated(changed: PropertyValues): void {
    if (this.firstRowsPending) return;
    if (['project', 'baseUrl', 'token', 'noLive', 'firstRowsPending'].some((k) => changed.has(k))) this.connectLive();
  }

  override render() {
    const issueId = /^\/issues\/([^/]+)$/.exec(this.currentRoute)?.[1];
    const common = { baseUrl: this.baseUrl, project: this.project, token: this.token, theme: this.theme };
    return html`
      <div part="toolbar">
        <faultline-search-bar
          base-url=${common.baseUrl}
          project=${common.project}
          token=${common.token}
          theme=${common.theme}
          .value=${this.query}
          @faultline-search=${this.onSearch}
        ></faultline-search-bar>
        ${this.noLive ? '' : html`<faultline-live-status .state=${this.liveState} detail=${this.liveDetail} theme=${common.theme}></faultline-live-status>`}
      </div>
      ${issueId
        ? html`<a class="back" part="back" href="#/" @click=${this.onBack}>← All issues</a>
            <faultline-issue-detail base-url=${common.baseUrl} project=${common.project} token=${common.token} theme=${common.theme} issue=${decodeURIComponent(issueId)}></faultline-issue-detail>`
        : html`<faultline-trend-chart
              base-url=${common.baseUrl}
              project=${common.project}
              token=${common.token}
              theme=${common.theme}
              .deferred=${this.firstRowsPending}
            ></faultline-trend-chart>
            <faultline-issue-list
              base-url=${common.baseUrl}
              project=${common.project}
              token=${common.token}
              theme=${common.theme}
              .query=${this.query}
              @faultline-issue-select=${this.onSelect}
              @faultline-issues-loaded=${this.onFirstRows}
              @faultline-error=${this.onFirstRows}
            ></faultline-issue-list>`}
    `;
  }

  private get currentRoute(): string {
    return this.route ?? this.hashRoute;
  }

  private onHash = () => {
    const hash = location.hash.replace(/^#/, '');
    this.hashRoute = hash.startsWith('/') ? hash : '/';
  };

  private onFirstRows = () => {
    if (!this.firstRowsPending) return;
    if (this.firstRowsTimer) clearTimeout(this.firstRowsTimer);
    this.firstRowsTimer = null;
    this.firstRowsPending = false;
  };

  private onSelect = (e: CustomEvent<{ issue: { id: string } }>) => {
    this.navigate(`/issues/${encodeURIComponent(e.detail.issue.id)}`);
  };

  private onBack = (e: Event) => {
    e.preventDefault();
    this.navigate('/');
  };

  private onSearch = (e: CustomEvent<{ query: string }>) => {
    this.query = e.detail.query;
    if (this.currentRoute !== '/') this.navigate('/');
  };

  /** Hash routing changes the hash; a host that sets `route` hears `faultline-route-change` and decides. */
  private navigate(route: string): void {
    emit(this, 'faultline-route-change', { route });
    if (this.route === null) location.hash = `#${route}`;
  }

  private connectLive(): void {
    this.stream?.stop();
    this.stream = null;
    if (this.noLive || !this.project) return;
    this.stream = new LiveStream({
      client: this.client,
      project: this.project,
      onMessage: (message) => this.onLive(message),
      onState: (state, detail) => {
        this.liveState = state;
        this.liveDetail = detail ?? '';
        emit(this, 'faultline-live-state', { state, detail });
      },
    });
    this.stream.start();
  }

  private onLive(_message: LiveMessage): void {
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      this.list?.refresh();
      this.chart?.refresh();
      this.detail?.refresh();
    }, LIVE_DEBOUNCE_MS);
  }
}
