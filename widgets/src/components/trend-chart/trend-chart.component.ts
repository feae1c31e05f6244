import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import type { ApiError } from '../../api/client.js';
import type { StatsPoint } from '../../api/types.js';
import { count } from '../../shared/format.js';
import { FaultlineElement } from '../../shared/faultline-element.js';

/**
 * Events over time for a project, or one issue with `issue`, drawn with uPlot as bars.
 *
 * @csspart chart - the chart's box
 */
export class FaultlineTrendChart extends FaultlineElement {
  static override styles = [
    ...FaultlineElement.styles,
    css`
      :host {
        display: block;
        margin: 0.5em 0;
      }
      .head {
        display: flex;
        justify-content: space-between;
        color: var(--_muted);
        font-size: 0.85em;
      }
      .chart {
        height: var(--faultline-chart-height, 90px);
        position: relative;
        overflow: hidden;
      }
      .uplot,
      .u-wrap,
      .u-over,
      .u-under {
        position: absolute;
        inset: 0;
      }
      .uplot canvas {
        display: block;
        width: 100%;
        height: 100%;
      }
      .u-over {
        user-select: none;
      }
    `,
  ];

  /** An issue id: the chart shows that issue's events instead of the project's. */
  @property() accessor issue = '';
  /** `hour` (the last 24 hours) or `day` (the last 30 days). */
  @property() accessor interval: 'hour' | 'day' = 'hour';
  /** What the chart shows, for its heading and for screen readers. */
  @property() accessor label = '';
  /** While true the chart waits to fetch: a page that composes it lets more urgent calls go first. */
  @property({ type: Boolean, attribute: false }) accessor deferred = false;

  @state() private accessor series: StatsPoint[] | null = null;
  @state() private accessor error: ApiError | null = null;
  @query('.chart') private accessor box!: HTMLDivElement;

  private plot: uPlot | null = null;
  private resizer: ResizeObserver | null = null;

  override render() {
    const total = this.series?.reduce((n, p) => n + p.count, 0) ?? 0;
    const label = this.label || (this.interval === 'hour' ? 'Events, last 24 hours' : 'Events, last 30 days');
    return html`<div class="head">
        <span>${label}</span>
        <span>${this.series ? `${count(total)} event${total === 1 ? '' : 's'}` : nothing}</span>
      </div>
      ${this.error ? html`<div class="state error small" role="alert">${this.error.message}</div>` : nothing}
      <div class="chart" part="chart" role="img" aria-label=${`${label}: ${total} events`}></div>`;
  }

  /** Fetches the series again (the dashboard calls it on live news). */
  refresh(): void {
    void this.load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizer = new ResizeObserver(() => this.plot?.setSize(this.size()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    const asked = ['project', 'issue', 'interval', 'baseUrl', 'token'].some((k) => changed.has(k));
    const released = changed.has('deferred') && changed.get('deferred') === true;
    if ((asked || released) && this.project && !this.deferred) void this.load();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('series') || changed.has('theme')) this.draw();
  }

  private async load(): Promise<void> {
    try {
      const { series } = await this.client.get<{ series: StatsPoint[] }>(`/api/v1/projects/${encodeURIComponent(this.project)}/stats`, {
        interval: this.interval,
        issue: this.issue || undefined,
      });
      this.series = series;
      this.error = null;
    } catch (err) {
      this.error = this.failure(err);
    }
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(100, this.box?.clientWidth ?? 300), height: Math.max(40, this.box?.clientHeight ?? 90) };
  }

  private draw(): void {
    if (!this.series || !this.box) return;
    const xs = this.series.map((p) => Date.parse(p.t) / 1000);
    const ys = this.series.map((p) => p.count);
    const style = getComputedStyle(this);
    const accent = style.getPropertyValue('--_accent').trim() || '#0550ae';
    const muted = style.getPropertyValue('--_muted').trim() || '#57606a';
    const grid = style.getPropertyValue('--_border').trim() || '#d0d7de';
    this.plot?.destroy();
    this.plot = new uPlot(
      {
        ...this.size(),
        legend: { show: false },
        cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { stroke: muted, grid: { show: false }, ticks: { stroke: grid }, size: 24, font: '11px sans-serif' },
          { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 36, font: '11px sans-serif', splits: (_u, _i, _min, max) => [0, Math.max(1, max)] },
        ],
        series: [{}, { stroke: accent, fill: accent, width: 0, points: { show: false }, paths: uPlot.paths.bars!({ size: [0.8, 40] }) }],
      },
      [xs, ys],
      this.box,
    );
    this.resizer?.disconnect();
    this.resizer?.observe(this.box);
  }
}
