import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { LiveState } from '../../api/live-stream.js';
import { theme } from '../../styles/theme.js';

const LABELS: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', offline: 'Offline, reconnecting…' };

/**
 * Says whether the view is live: a dot and a word, announced politely to screen readers.
 *
 * @csspart base - the badge
 */
export class FaultlineLiveStatus extends LitElement {
  static override styles = [
    theme,
    css`
      span[part='base'] {
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
        font-size: 0.85em;
        color: var(--_muted);
      }
      .dot {
        width: 0.6em;
        height: 0.6em;
        border-radius: 50%;
        background: var(--_muted);
      }
      :host([state='live']) .dot {
        background: var(--_ok);
      }
      :host([state='offline']) .dot {
        background: var(--_danger);
      }
    `,
  ];

  @property({ reflect: true }) accessor state: LiveState = 'connecting';
  @property({ reflect: true }) accessor theme = '';
  /** Why the stream is offline, as a tooltip. */
  @property() accessor detail = '';

  override render() {
    return html`<span part="base" role="status" title=${this.detail}><span class="dot" aria-hidden="true"></span>${LABELS[this.state]}</span>`;
  }
}

if (!customElements.get('faultline-live-status')) customElements.define('faultline-live-status', FaultlineLiveStatus);

declare global {
  interface HTMLElementTagNameMap {
    'faultline-live-status': FaultlineLiveStatus;
  }
}
