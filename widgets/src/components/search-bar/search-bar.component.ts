import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Issue, Page } from '../../api/types.js';
import { emit } from '../../events/events.js';
import { FaultlineElement } from '../../shared/faultline-element.js';

const KEYS: Array<[string, string]> = [
  ['is:', 'status: unresolved, resolved, ignored'],
  ['level:', 'fatal, error, warning, info, debug'],
  ['release:', 'a release seen in this project'],
  ['environment:', 'an environment seen in this project'],
];
const FIXED_VALUES: Record<string, string[]> = {
  is: ['unresolved', 'resolved', 'ignored'],
  level: ['fatal', 'error', 'warning', 'info', 'debug'],
};

/**
 * The issue search box: `is:unresolved level:error release:"1.2" free text`, with suggestions for keys
 * and for values seen in the project (a combobox: arrows choose, Enter or Tab takes, Escape closes).
 *
 * @event faultline-search - the query was submitted
 * @csspart input - the text field
 * @csspart suggestions - the list of suggestions
 */
export class FaultlineSearchBar extends FaultlineElement {
  static override styles = [
    ...FaultlineElement.styles,
    css`
      :host {
        display: block;
        position: relative;
      }
      form {
        display: flex;
        gap: 0.5em;
      }
      input {
        flex: 1;
        font: inherit;
        color: var(--_text);
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0.4em 0.6em;
      }
      ul {
        position: absolute;
        z-index: 10;
        left: 0;
        right: 0;
        top: 100%;
        margin: 2px 0 0;
        padding: 0.25em 0;
        list-style: none;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
        max-height: 16em;
        overflow-y: auto;
      }
      li {
        padding: 0.3em 0.75em;
        cursor: pointer;
        display: flex;
        gap: 1em;
        justify-content: space-between;
      }
      li[aria-selected='true'] {
        background: var(--_surface);
        outline: 1px solid var(--_accent);
      }
      .hint {
        color: var(--_muted);
        font-size: 0.85em;
      }
    `,
  ];

  /** The query; set it to show a query, read it after `faultline-search`. */
  @property() accessor value = '';
  @property() accessor placeholder = 'Search: is:unresolved level:error release:"1.2" text…';

  @state() private accessor suggestions: Array<{ insert: string; label: string; hint: string }> = [];
  @state() private accessor activeIndex = -1;
  private seen: { release: string[]; environment: string[] } | null = null;

  override render() {
    const open = this.suggestions.length > 0;
    return html`<form role="search" @submit=${this.onSubmit}>
        <input
          part="input"
          type="search"
          role="combobox"
          aria-label="Search issues"
          aria-autocomplete="list"
          aria-controls="suggestions"
          aria-expanded=${open ? 'true' : 'false'}
          aria-activedescendant=${this.activeIndex >= 0 ? `suggestion-${this.activeIndex}` : ''}
          autocomplete="off"
          spellcheck="false"
          placeholder=${this.placeholder}
          .value=${this.value}
          @input=${this.onInput}
          @keydown=${this.onKey}
          @focus=${this.loadSeenValues}
          @blur=${() => setTimeout(() => (this.suggestions = []), 150)}
        />
        <button type="submit">Search</button>
      </form>
      ${open
        ? html`<ul id="suggestions" role="listbox" part="suggestions" aria-label="Suggestions">
            ${this.suggestions.map(
              (s, i) => html`<li id="suggestion-${i}" role="option" aria-selected=${i === this.activeIndex ? 'true' : 'false'} @mousedown=${(e: Event) => this.take(e, i)}>
                <span>${s.label}</span>${s.hint ? html`<span class="hint">${s.hint}</span>` : nothing}
              </li>`,
            )}
          </ul>`
        : nothing}`;
  }

  private onSubmit = (e: Event) => {
    e.preventDefault();
    this.suggestions = [];
    emit(this, 'faultline-search', { query: this.value.trim() });
  };

  private onInput = (e: Event) => {
    this.value = (e.target as HTMLInputElement).value;
    this.suggest();
  };

  private onKey = (e: KeyboardEvent) => {
    if (this.suggestions.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.suggestions.length;
      this.activeIndex = (this.activeIndex + (e.key === 'ArrowDown' ? 1 : -1) + n) % n;
    } else if ((e.key === 'Enter' || e.key === 'Tab') && this.activeIndex >= 0) {
      this.take(e, this.activeIndex);
    } else if (e.key === 'Escape') {
      this.suggestions = [];
    }
  };

  /** Replaces the word being typed with the suggestion. */
  private take(e: Event, index: number): void {
    e.preventDefault();
    const chosen = this.suggestions[index];
    if (!chosen) return;
    this.value = this.value.replace(/\S*$/, chosen.insert);
    this.suggestions = [];
    this.activeIndex = -1;
    if (chosen.insert.endsWith(':')) this.suggest();
    this.renderRoot.querySelector('input')?.focus();
  }

  private suggest(): void {
    const word = /\S*$/.exec(this.value)?.[0] ?? '';
    const colon = word.indexOf(':');
    this.activeIndex = -1;
    if (!word) {
      this.suggestions = [];
    } else if (colon < 0) {
      this.suggestions = KEYS.filter(([key]) => key.startsWith(word.toLowerCase()) && key !== word).map(([key, hint]) => ({ insert: key, label: key, hint }));
    } else {
      const key = word.slice(0, colon).toLowerCase();
      const typed = word.slice(colon + 1).replace(/^"/, '');
      const values = FIXED_VALUES[key] ?? (key === 'release' || key === 'environment' ? (this.seen?.[key] ?? []) : []);
      this.suggestions = values
        .filter((v) => v.startsWith(typed) && v !== typed)
        .slice(0, 10)
        .map((v) => ({ insert: `${key}:${/\s/.test(v) ? JSON.stringify(v) : v}`, label: v, hint: '' }));
    }
  }

  /** Releases and environments of the project's most recent issues, once. */
  private loadSeenValues = async () => {
    if (this.seen || !this.project) return;
    this.seen = { release: [], environment: [] };
    try {
      const page = await this.client.get<Page<Issue>>(`/api/v1/projects/${encodeURIComponent(this.project)}/issues`, { query: '', limit: 100 });
      const release = new Set<string>();
      const environment = new Set<string>();
      for (const issue of page.data) {
        if (issue.release) release.add(issue.release);
        if (issue.environment) environment.add(issue.environment);
      }
      this.seen = { release: [...release], environment: [...environment] };
    } catch {
      // suggestions are a help; the search works without them
    }
  };
}
