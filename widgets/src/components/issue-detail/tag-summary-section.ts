import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { TagSummary } from '../../api/types.js';
import { count } from '../../shared/format.js';

export type TagSummaryState = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; tags: TagSummary[] };

/**
 * The issue's tags (`GET /api/v1/issues/:id/tags`): per tag its top values with their event counts and
 * share, the share written out as well as drawn. Values are text; the bar's width is a number.
 */
export function tagSummarySection(state: TagSummaryState, retry: () => void): TemplateResult {
  return html`<section part="section tag-summary" aria-labelledby="tag-summary-heading">
    <h3 id="tag-summary-heading">Tag summary</h3>
    ${state.phase === 'loading' ? html`<p class="muted small" role="status">Loading tags…</p>` : nothing}
    ${state.phase === 'error'
      ? html`<div class="state error small" role="alert">
          Cannot load tags: <span class="message-text">${state.message}</span> <button @click=${retry}>Try again</button>
        </div>`
      : nothing}
    ${state.phase === 'ready' && state.tags.length === 0 ? html`<p class="muted small">No tags on this issue’s events.</p>` : nothing}
    ${state.phase === 'ready' ? state.tags.map((tag) => tagBlock(tag, eventsCounted(state.tags))) : nothing}
  </section>`;
}

/**
 * How many events the summary counted: the biggest sum of one tag's values (every event has a level,
 * which the summary lists as a tag, so that sum is every event counted).
 */
function eventsCounted(tags: TagSummary[]): number {
  return Math.max(1, ...tags.map((t) => t.values.reduce((sum, v) => sum + v.count, 0)));
}

function tagBlock(tag: TagSummary, counted: number): TemplateResult {
  return html`<div class="tag">
    <h4 class="tag-key">${tag.key}</h4>
    <ul class="tag-values" aria-label=${`Top values of ${tag.key}`}>
      ${tag.values.map((v) => {
        const share = Math.min(100, Math.round((v.count / counted) * 1000) / 10);
        return html`<li class="tag-value">
          <span class="tag-value-text" title=${v.value}>${v.value}</span>
          <span class="tag-value-count">${count(v.count)} · ${share}%</span>
          <span class="share" aria-hidden="true"><span class="share-bar" style=${styleMap({ width: `${share}%` })}></span></span>
        </li>`;
      })}
    </ul>
  </div>`;
}
