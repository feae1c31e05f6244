import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiError } from '../../api/client.js';
import type { Issue, IssueStatus, Page, StoredEvent, TagSummary } from '../../api/types.js';
import { emit } from '../../events/events.js';
import { count, dateTime, timeAgo } from '../../shared/format.js';
import { FaultlineElement } from '../../shared/faultline-element.js';
import { STATUS_ACTIONS, STATUS_LABELS } from '../../shared/status-label.js';
import '../trend-chart/trend-chart.js';
import { breadcrumbsSection, contextsSection, exceptionSection, messageOf, pairsSection, requestSection } from './event-sections.js';
import { issueDetailStyles } from './issue-detail.styles.js';
import { tagSummarySection, type TagSummaryState } from './tag-summary-section.js';

/** Which event page is shown: the API's order and the cursor it was read from (none: that order's first). */
interface EventPosition {
  order: 'desc' | 'asc';
  cursor: string | null;
}

/**
 * One issue: its status actions, counts, trend, tag summary, and one of its events at a time (paged
 * newest, older, newer, oldest): exception chain and stack trace, breadcrumbs, tags, user, request,
 * contexts, SDK.
 *
 * @event faultline-status-change - the issue's status was changed here
 * @csspart header - title, culprit and actions
 * @csspart section - each part of the event (also named: exception, breadcrumbs, tags, user, request, contexts, sdk), and tag-summary
 * @csspart code - source context of a frame
 * @csspart state - the loading or error message
 */
export class FaultlineIssueDetail extends FaultlineElement {
  static override styles = [...FaultlineElement.styles, issueDetailStyles];

  /** The issue id. */
  @property({ attribute: 'issue' }) accessor issueId = '';

  /** The issue as loaded (not named `issue`: that is the attribute, and frameworks set properties by name). */
  @state() private accessor loadedIssue: Issue | null = null;
  @state() private accessor event: StoredEvent | null = null;
  @state() private accessor error: ApiError | null = null;
  @state() private accessor busy = false;
  @state() private accessor actionError = '';
  @state() private accessor position: EventPosition = { order: 'desc', cursor: null };
  /** The shown event's page (one event), with its cursors both ways. */
  @state() private accessor eventPage: Page<StoredEvent> | null = null;
  @state() private accessor tags: TagSummaryState = { phase: 'loading' };

  private loads = 0;

  override render() {
    if (this.error) {
      return html`<div class="state error" role="alert" part="state">
        <strong>${this.error.status ? `Error ${this.error.status}` : 'Cannot load this issue'}</strong>: <span class="message-text">${this.error.message}</span>
        <div><button @click=${() => this.load()}>Try again</button></div>
      </div>`;
    }
    const issue = this.loadedIssue;
    if (!issue) return html`<div class="state" role="status" part="state">Loading issue…</div>`;
    return html`
      <header part="header">
        <div class="title-block">
          <h2>${issue.title}<span class="status">${STATUS_LABELS[issue.status]}</span></h2>
          <div class="muted">${issue.culprit}</div>
        </div>
        <div class="actions" role="group" aria-label="Change status">
          ${(['resolved', 'ignored', 'unresolved'] as const)
            .filter((s) => s !== issue.status)
            .map((s) => html`<button class=${s === 'resolved' ? 'primary' : ''} ?disabled=${this.busy} @click=${() => this.setStatus(s)}>${STATUS_ACTIONS[s]}</button>`)}
        </div>
      </header>
      ${this.actionError ? html`<div class="state error" role="alert">${this.actionError}</div>` : nothing}
      <dl class="facts">
        <div><dt>Level</dt><dd><span class="level level-${issue.level}">${issue.level}</span></dd></div>
        <div><dt>Events</dt><dd>${count(issue.count)}</dd></div>
        <div><dt>Users</dt><dd>${count(issue.userCount)}</dd></div>
        <div><dt>First seen</dt><dd title=${dateTime(issue.firstSeen)}>${timeAgo(issue.firstSeen)}</dd></div>
        <div><dt>Last seen</dt><dd title=${dateTime(issue.lastSeen)}>${timeAgo(issue.lastSeen)}</dd></div>
        <div><dt>Release</dt><dd>${issue.release ?? '—'}</dd></div>
        <div><dt>Environment</dt><dd>${issue.environment ?? '—'}</dd></div>
      </dl>
      <faultline-trend-chart
        base-url=${this.baseUrl}
        project=${String(issue.projectId)}
        token=${this.token}
        issue=${issue.id}
        theme=${this.theme}
        label="Events of this issue, last 24 hours"
      ></faultline-trend-chart>
      ${tagSummarySection(this.tags, () => void this.loadTags())}
      ${this.renderEvent()}
    `;
  }

  /** Reloads the issue and the event shown; the dashboard calls it on live news. */
  refresh(): void {
    void this.load(true);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('issueId') || changed.has('baseUrl') || changed.has('token')) {
      this.position = { order: 'desc', cursor: null };
      this.eventPage = null;
      this.loadedIssue = null;
      this.event = null;
      this.tags = { phase: 'loading' };
      void this.load();
    }
  }

  private renderEvent() {
    const record = this.event;
    const { older, newer } = this.neighbours();
    const which = !record ? '' : !older && !newer ? 'The only event' : !newer ? 'Newest event' : !older ? 'Oldest event' : 'Event';
    const pager = html`<nav class="pager" aria-label="Events of this issue">
      <button ?disabled=${!newer} @click=${() => this.go({ order: 'desc', cursor: null })}>Newest</button>
      <button ?disabled=${!newer} @click=${() => newer && this.go(newer)}>Newer</button>
      <button ?disabled=${!older} @click=${() => older && this.go(older)}>Older</button>
      <button ?disabled=${!older} @click=${() => this.go({ order: 'asc', cursor: null })}>Oldest</button>
      <span class="muted small event-position" aria-live="polite">${record ? html`${which} · ${record.id} · ${dateTime(record.receivedAt)}` : nothing}</span>
    </nav>`;
    if (!record) return html`${pager}<p class="muted">${this.loadedIssue && this.loads > 0 ? 'Loading event…' : 'No events stored for this issue.'}</p>`;
    const event = record.event;
    const message = messageOf(event);
    const user = event.user ?? {};
    return html`${pager}
      <div class="layout">
        <div>
          ${message ? html`<section part="section message"><h3>Message</h3><div class="message">${message}</div></section>` : nothing}
          ${exceptionSection(event)} ${breadcrumbsSection(event)} ${requestSection(event)} ${contextsSection(event)}
        </div>
        <aside>
          ${pairsSection('Tags', 'tags', Object.entries(event.tags ?? {}))}
          ${pairsSection('User', 'user', [
            ['ID', user.id],
            ['Email', user.email],
            ['Username', user.username],
            ['IP address', user.ip_address],
          ])}
          ${pairsSection('Event', 'details', [
            ['Release', event.release],
            ['Environment', event.environment],
            ['Server', event.server_name],
            ['Transaction', event.transaction],
            ['Platform', event.platform],
          ])}
          ${pairsSection('SDK', 'sdk', [
            ['Name', event.sdk?.name],
            ['Version', event.sdk?.version],
          ])}
        </aside>
      </div>`;
  }

  /**
   * Where Older and Newer lead from the shown event: newest first, older is the next page and newer the
   * one before; oldest first, the other way round. Null at either end.
   */
  private neighbours(): { older: EventPosition | null; newer: EventPosition | null } {
    const page = this.eventPage;
    if (!page) return { older: null, newer: null };
    const { order } = this.position;
    const at = (cursor: string | null | undefined) => (cursor ? { order, cursor } : null);
    return order === 'desc' ? { older: at(page.nextCursor), newer: at(page.prevCursor) } : { older: at(page.prevCursor), newer: at(page.nextCursor) };
  }

  private async go(position: EventPosition): Promise<void> {
    this.position = position;
    await this.loadEvent();
  }

  private async load(quiet = false): Promise<void> {
    if (!this.issueId) return;
    const load = ++this.loads;
    try {
      const issue = await this.client.get<Issue>(`/api/v1/issues/${encodeURIComponent(this.issueId)}`);
      if (load !== this.loads) return;
      this.loadedIssue = issue;
      this.error = null;
      void this.loadTags(quiet);
      await this.loadEvent();
    } catch (err) {
      if (load !== this.loads) return;
      if (!quiet || !this.loadedIssue) this.error = this.failure(err);
    }
  }

  private async loadEvent(): Promise<void> {
    const { order, cursor } = this.position;
    const page = await this.client.get<Page<StoredEvent>>(`/api/v1/issues/${encodeURIComponent(this.issueId)}/events`, { cursor, order, limit: 1 });
    this.event = page.data[0] ?? null;
    this.eventPage = page;
  }

  /** The tag summary; a quiet reload (live news) keeps what is shown if it fails. */
  private async loadTags(quiet = false): Promise<void> {
    const issueId = this.issueId;
    if (!quiet) this.tags = { phase: 'loading' };
    try {
      const { data } = await this.client.get<{ data: TagSummary[] }>(`/api/v1/issues/${encodeURIComponent(issueId)}/tags`, { values: 5 });
      if (issueId === this.issueId) this.tags = { phase: 'ready', tags: data };
    } catch (err) {
      if (issueId === this.issueId && !(quiet && this.tags.phase === 'ready')) this.tags = { phase: 'error', message: this.failure(err).message };
    }
  }

  private async setStatus(status: IssueStatus): Promise<void> {
    if (!this.loadedIssue) return;
    this.busy = true;
    this.actionError = '';
    try {
      const issue = await this.client.patch<Issue>(`/api/v1/issues/${encodeURIComponent(this.loadedIssue.id)}`, { status });
      this.loadedIssue = issue;
      emit(this, 'faultline-status-change', { issues: [issue], status });
    } catch (err) {
      // keep the page; say why the action failed
      this.actionError = `${STATUS_ACTIONS[status]} failed: ${this.failure(err).message}`;
    } finally {
      this.busy = false;
    }
  }
}
