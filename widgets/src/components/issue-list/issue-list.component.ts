import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import type { Grid, GridDataProviderCallback, GridDataProviderParams } from '@vaadin/grid';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import '@vaadin/grid/vaadin-grid-selection-column.js';
import { ApiError } from '../../api/client.js';
import { getIssuePage, issuesPath, listQuery, MAX_OFFSET, PAGE_SIZE } from '../../api/issue-pages.js';
import type { Issue, IssueStatus, Page } from '../../api/types.js';
import { emit } from '../../events/events.js';
import { count, dateTime, timeAgo } from '../../shared/format.js';
import { FaultlineElement } from '../../shared/faultline-element.js';
import { Sparklines } from '../../shared/sparklines.js';
import { STATUS_ACTIONS, STATUS_LABELS } from '../../shared/status-label.js';
import { issueListStyles } from './issue-list.styles.js';

const SORTS = [
  ['last_seen', 'Last seen'],
  ['first_seen', 'First seen'],
  ['count', 'Events'],
] as const;
const RELOAD_ON = ['query', 'status', 'sort', 'project', 'baseUrl', 'token'];

/**
 * A project's issues in a lazily loaded grid: status tabs, sort, multi-select with bulk status changes,
 * keyboard navigation (arrows move, Enter opens, Space on a checkbox selects).
 *
 * @event faultline-issue-select - an issue was opened (click or Enter)
 * @event faultline-status-change - selected issues changed status
 * @event faultline-issues-loaded - a fetched page was handed to the grid (with the list's total)
 * @csspart toolbar - tabs, sort and bulk actions
 * @csspart grid - the vaadin-grid
 * @csspart state - the loading, empty or error message
 */
export class FaultlineIssueList extends FaultlineElement {
  static override styles = [...FaultlineElement.styles, issueListStyles];

  /** Search text (`level:error release:"1.2" free text`); the tab adds `is:<status>` unless it has one. */
  @property() accessor query = '';
  /** The status tab. */
  @property({ reflect: true }) accessor status: IssueStatus = 'unresolved';
  /** `last_seen`, `first_seen` or `count`. */
  @property() accessor sort = 'last_seen';

  @state() private accessor phase: 'loading' | 'ready' | 'empty' | 'error' = 'loading';
  @state() private accessor error: ApiError | null = null;
  @state() private accessor selected: Issue[] = [];
  @state() private accessor busy = false;
  @query('vaadin-grid') private accessor grid!: Grid<Issue>;

  private generation = 0;
  private pages = new Map<number, Promise<Page<Issue>>>();
  /** The list's length as the grid knows it (its `size`). */
  private knownSize = 0;
  /** The list's length as the server counted it (null until the count is in). */
  private counted: number | null = null;
  /** The generation whose count was asked for. */
  private countAsked = -1;
  private needsReset = false;
  private redrawQueued = false;
  private readonly sparklines = new Sparklines(
    () => this.client,
    () => this.project,
    () => this.redrawSoon(),
  );

  override render() {
    return html`
      <div part="toolbar">
        <div role="tablist" aria-label="Issue status">
          ${(['unresolved', 'resolved', 'ignored'] as const).map(
            (status) => html`<button
              role="tab"
              aria-selected=${this.status === status ? 'true' : 'false'}
              tabindex=${this.status === status ? 0 : -1}
              @click=${() => this.setStatusTab(status)}
              @keydown=${this.onTabKey}
            >
              ${STATUS_LABELS[status]}
            </button>`,
          )}
        </div>
        <span class="spacer"></span>
        ${this.selected.length > 0
          ? html`<div class="bulk" role="group" aria-label="Bulk actions">
              <span aria-live="polite">${this.selected.length} selected</span>
              ${(['resolved', 'ignored', 'unresolved'] as const)
                .filter((s) => s !== this.status)
                .map((s) => html`<button ?disabled=${this.busy} @click=${() => this.bulk(s)}>${STATUS_ACTIONS[s]}</button>`)}
            </div>`
          : nothing}
        <label
          >Sort by
          <select @change=${(e: Event) => (this.sort = (e.target as HTMLSelectElement).value)} .value=${this.sort}>
            ${SORTS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.sort}>${label}</option>`)}
          </select>
        </label>
      </div>
      <div class="body">
        <vaadin-grid
          part="grid"
          aria-label="Issues"
          .pageSize=${PAGE_SIZE}
          .dataProvider=${this.dataProvider}
          .itemIdPath=${'id'}
          theme="no-border row-stripes"
          @selected-items-changed=${this.onSelected}
          @active-item-changed=${this.onActive}
          @keydown=${this.onGridKey}
        >
          <vaadin-grid-selection-column drag-select width="3.5em" flex-grow="0"></vaadin-grid-selection-column>
          <vaadin-grid-column header="Issue" flex-grow="5" ${columnBodyRenderer<Issue>((issue) => this.issueCell(issue), [])}></vaadin-grid-column>
          <vaadin-grid-column
            header="Level"
            width="6.5em"
            flex-grow="0"
            ${columnBodyRenderer<Issue>((issue) => html`<span class="level level-${issue.level}">${issue.level}</span>`, [])}
          ></vaadin-grid-column>
          <vaadin-grid-column
            header="Last 24 h"
            width="6em"
            flex-grow="0"
            ${columnBodyRenderer<Issue>((issue) => this.sparklines.render(issue.id), [])}
          ></vaadin-grid-column>
          <vaadin-grid-column header="Events" width="6em" flex-grow="0" text-align="end" ${columnBodyRenderer<Issue>((issue) => html`${count(issue.count)}`, [])}></vaadin-grid-column>
          <vaadin-grid-column header="Users" width="6em" flex-grow="0" text-align="end" ${columnBodyRenderer<Issue>((issue) => html`${count(issue.userCount)}`, [])}></vaadin-grid-column>
          <vaadin-grid-column
            header="Last seen"
            width="9em"
            flex-grow="0"
            ${columnBodyRenderer<Issue>((issue) => html`<time datetime=${issue.lastSeen} title=${dateTime(issue.lastSeen)}>${timeAgo(issue.lastSeen)}</time>`, [])}
          ></vaadin-grid-column>
          <vaadin-grid-column
            header="First seen"
            width="9em"
            flex-grow="0"
            ${columnBodyRenderer<Issue>((issue) => html`<time datetime=${issue.firstSeen} title=${dateTime(issue.firstSeen)}>${timeAgo(issue.firstSeen)}</time>`, [])}
          ></vaadin-grid-column>
        </vaadin-grid>
        ${this.renderState()}
      </div>
    `;
  }

  /** Reloads what is shown (keeping the scroll position); the dashboard calls it on live news. */
  refresh(): void {
    this.generation++;
    this.pages.clear();
    this.sparklines.clear();
    this.grid?.clearCache();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.hasUpdated && RELOAD_ON.some((name) => changed.has(name))) this.needsReset = true;
    // The first page is asked for now, before the grid is drawn and asks for it itself.
    if (!this.hasUpdated && this.project) void this.page(0).catch(() => undefined);
  }

  protected override updated(): void {
    if (!this.needsReset) return;
    this.needsReset = false;
    this.reset();
  }

  private reset(): void {
    this.phase = 'loading';
    this.error = null;
    this.clearSelection();
    this.knownSize = 0;
    this.counted = null;
    this.refresh();
    this.grid.scrollToIndex(0);
  }

  private renderState() {
    if (this.phase === 'ready') return nothing;
    if (this.phase === 'error' && this.error) {
      return html`<div class="overlay" part="state">
        <div class="state error" role="alert">
          <strong>${this.error.status ? `Error ${this.error.status}` : 'Cannot load issues'}</strong>: <span class="message">${this.error.message}</span>
        </div>
        <button @click=${() => this.reset()}>Try again</button>
      </div>`;
    }
    if (this.phase === 'empty') {
      return html`<div class="overlay" part="state">
        <div class="state" role="status">${this.query ? 'No issues match this search.' : `No ${this.status} issues.`}</div>
      </div>`;
    }
    return html`<div class="overlay" part="state"><div class="state" role="status">Loading issues…</div></div>`;
  }

  private issueCell(issue: Issue) {
    return html`<div style="display:flex;flex-direction:column;min-width:0;line-height:1.35">
      <strong style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap" class="title">${issue.title}</strong>
      <span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:var(--_muted);font-size:0.85em" class="culprit"
        >${issue.culprit}${issue.release ? html` · ${issue.release}` : nothing}</span
      >
    </div>`;
  }

  /**
   * Counts the list and gives the grid its true size, which lets it scroll anywhere at once. A call of its
   * own, made once the grid has its first rows: counting reads every matching issue, and the first rows
   * should not share the server with it.
   */
  private count(): void {
    const generation = this.generation;
    if (this.countAsked === generation) return;
    this.countAsked = generation;
    this.client
      .get<Page<Issue>>(issuesPath(this.project), { query: listQuery(this), sort: this.sort, limit: 1, total: 'true' })
      .then(
        (page) => {
          if (generation !== this.generation || page.total === undefined) return;
          this.counted = Math.min(page.total, MAX_OFFSET + PAGE_SIZE);
          this.knownSize = this.counted;
          if (this.grid) this.grid.size = this.counted;
        },
        () => undefined, // the pages say what failed; without a count the grid grows a page at a time
      );
  }

  /** Page n straight by its offset, so a jump deep into the list fetches only the page it lands on. */
  private page(n: number): Promise<Page<Issue>> {
    let page = this.pages.get(n);
    if (!page) {
      page = getIssuePage(this.client, this, n);
      this.pages.set(n, page);
      page.catch(() => this.pages.delete(n));
    }
    return page;
  }

  private dataProvider = async (params: GridDataProviderParams<Issue>, callback: GridDataProviderCallback<Issue>) => {
    const generation = this.generation;
    try {
      const page = await this.page(params.page);
      if (generation !== this.generation) return callback([], this.knownSize);
      // Until the count is in, the grid knows one page past what it has. A list past the deepest offset
      // shows its first MAX_OFFSET + PAGE_SIZE issues (a search narrows it).
      const loaded = params.page * PAGE_SIZE + page.data.length;
      const grown = page.nextCursor ? Math.max(this.knownSize, loaded + PAGE_SIZE) : loaded;
      this.knownSize = this.counted ?? Math.min(grown, MAX_OFFSET + PAGE_SIZE);
      this.phase = this.knownSize === 0 ? 'empty' : 'ready';
      this.error = null;
      callback(page.data, this.knownSize);
      emit(this, 'faultline-issues-loaded', { total: this.knownSize });
      this.count();
    } catch (err) {
      this.error = this.failure(err);
      this.phase = 'error';
      callback([], 0);
    }
  };

  private setStatusTab(status: IssueStatus): void {
    this.status = status;
  }

  private onTabKey = (e: KeyboardEvent) => {
    const tabs = ['unresolved', 'resolved', 'ignored'] as const;
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(this.status) + step + tabs.length) % tabs.length];
    this.status = next;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[role=tab][aria-selected=true]')?.focus());
  };

  private onSelected = (e: CustomEvent<{ value: Issue[] }>) => {
    this.selected = [...e.detail.value];
  };

  private onActive = (e: CustomEvent<{ value: Issue | null }>) => {
    const issue = e.detail.value;
    if (issue) this.open(issue);
    if (this.grid) this.grid.activeItem = null;
  };

  private onGridKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    const item = this.grid.getEventContext(e).item;
    if (item) this.open(item);
  };

  /** Draws the rows again once sparkline data arrives, at most once a frame. */
  private redrawSoon(): void {
    if (this.redrawQueued) return;
    this.redrawQueued = true;
    requestAnimationFrame(() => {
      this.redrawQueued = false;
      this.grid?.requestContentUpdate();
    });
  }

  private clearSelection(): void {
    this.selected = [];
    if (this.grid) this.grid.selectedItems = [];
  }

  private open(issue: Issue): void {
    emit(this, 'faultline-issue-select', { issue });
  }

  private async bulk(status: IssueStatus): Promise<void> {
    const issues = this.selected;
    this.busy = true;
    try {
      const changed: Issue[] = [];
      for (let i = 0; i < issues.length; i += 4) {
        const batch = issues.slice(i, i + 4).map((issue) => this.client.patch<Issue>(`/api/v1/issues/${encodeURIComponent(issue.id)}`, { status }));
        changed.push(...(await Promise.all(batch)));
      }
      emit(this, 'faultline-status-change', { issues: changed, status });
      this.clearSelection();
      this.refresh();
    } catch (err) {
      this.error = this.failure(err);
      this.phase = 'error';
    } finally {
      this.busy = false;
    }
  }
}
