import { html, svg, type TemplateResult } from 'lit';
import type { FaultlineClient } from '../api/client.js';
import type { StatsPoint } from '../api/types.js';

const MAX_CONCURRENT = 4;

/**
 * Hourly counts of the last 24 hours per issue, fetched only for rows that are drawn, a few at a time,
 * and cached until `clear()`; `onLoaded` lets the grid draw the rows again. The calls start after the
 * rows asking for them are drawn, never in the middle of drawing them.
 */
export class Sparklines {
  private readonly series = new Map<string, number[] | 'loading' | 'failed'>();
  private readonly waiting: string[] = [];
  private running = 0;
  private generation = 0;
  private pumpQueued = false;

  constructor(
    private readonly client: () => FaultlineClient,
    private readonly project: () => string,
    private readonly onLoaded: () => void,
  ) {}

  clear(): void {
    this.generation++;
    this.series.clear();
    this.waiting.length = 0;
  }

  render(issueId: string): TemplateResult {
    const counts = this.series.get(issueId);
    if (counts === undefined) this.request(issueId);
    if (!Array.isArray(counts)) return html`<span class="sparkline" aria-hidden="true"></span>`;
    const max = Math.max(1, ...counts);
    const total = counts.reduce((a, b) => a + b, 0);
    const bars = counts.map((c, i) => (c > 0 ? `M${i} 10v${-Math.max(0.6, (c / max) * 10)}h0.8V10z` : '')).join('');
    return html`<svg class="sparkline" viewBox="0 0 ${counts.length} 10" preserveAspectRatio="none" role="img" aria-label="${total} events in the last 24 hours">
      ${svg`<path d=${bars} fill="currentColor"></path>`}
    </svg>`;
  }

  private request(issueId: string): void {
    this.series.set(issueId, 'loading');
    this.waiting.push(issueId);
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setTimeout(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < MAX_CONCURRENT && this.waiting.length > 0) {
      const issueId = this.waiting.shift()!;
      const generation = this.generation;
      this.running++;
      this.client()
        .get<{ series: StatsPoint[] }>(`/api/v1/projects/${encodeURIComponent(this.project())}/stats`, { issue: issueId, interval: 'hour' })
        .then(
          ({ series }) => generation === this.generation && this.series.set(issueId, series.slice(-24).map((p) => p.count)),
          () => generation === this.generation && this.series.set(issueId, 'failed'),
        )
        .finally(() => {
          this.running--;
          if (generation === this.generation) this.onLoaded();
          this.pump();
        });
    }
  }
}
