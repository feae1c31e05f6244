import { css } from 'lit';

export const issueDetailStyles = css`
  :host {
    display: block;
    background: var(--_bg);
    color: var(--_text);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 0.5em 1em;
    padding-bottom: 0.75em;
    border-bottom: 1px solid var(--_border);
  }
  h2 {
    margin: 0;
    font-size: 1.3em;
    overflow-wrap: anywhere;
  }
  h3 {
    font-size: 1em;
    margin: 1.25em 0 0.5em;
  }
  h4 {
    font-size: 0.9em;
    margin: 0.75em 0 0.25em;
    color: var(--_muted);
  }
  .title-block {
    flex: 1;
    min-width: 16em;
  }
  .actions {
    display: flex;
    gap: 0.5em;
  }
  .muted {
    color: var(--_muted);
  }
  .small {
    font-size: 0.85em;
  }
  .status {
    font-size: 0.8em;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    border: 1px solid var(--_border);
    margin-left: 0.5em;
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9em, 1fr));
    gap: 0.5em 1em;
    margin: 0.75em 0;
  }
  .facts div {
    display: flex;
    flex-direction: column;
  }
  .facts dt {
    color: var(--_muted);
    font-size: 0.8em;
  }
  .facts dd {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .pager {
    display: flex;
    align-items: center;
    gap: 0.5em;
    flex-wrap: wrap;
    padding: 0.5em 0;
    border-bottom: 1px solid var(--_border);
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(14em, 1fr);
    gap: 1.5em;
  }
  @media (max-width: 800px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .exception {
    margin-bottom: 1em;
  }
  .exception-head {
    font-size: 1.05em;
    overflow-wrap: anywhere;
  }
  .caused-by {
    color: var(--_muted);
    font-size: 0.85em;
    margin-top: 0.75em;
  }
  .frames {
    list-style: none;
    padding: 0;
    margin: 0.5em 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .frame {
    border-top: 1px solid var(--_border);
  }
  .frame:first-child {
    border-top: none;
  }
  .frame-head {
    padding: 0.35em 0.6em;
    font-family: var(--_mono);
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  .frame-in-app .frame-head {
    background: var(--_surface);
  }
  .function {
    font-weight: 600;
  }
  .badge {
    margin-left: 0.5em;
    font-family: var(--faultline-font, inherit);
    font-size: 0.75em;
    padding: 0 0.4em;
    border-radius: 999px;
    border: 1px solid var(--_accent);
    color: var(--_accent);
  }
  .context {
    margin: 0;
    padding: 0.25em 0;
    overflow-x: auto;
    font-family: var(--_mono);
    font-size: 0.8em;
    background: var(--_bg);
  }
  .line {
    display: block;
    white-space: pre;
    padding-right: 0.6em;
  }
  .line.current {
    background: var(--_highlight);
  }
  .lineno {
    display: inline-block;
    width: 4em;
    padding-right: 0.8em;
    text-align: right;
    color: var(--_muted);
    user-select: none;
  }
  details.library summary {
    cursor: pointer;
    color: var(--_muted);
    padding: 0.25em 0;
  }
  .timeline {
    list-style: none;
    margin: 0;
    padding: 0 0 0 1em;
    border-left: 2px solid var(--_border);
  }
  .crumb {
    position: relative;
    display: grid;
    grid-template-columns: 11em 8em minmax(0, 1fr);
    gap: 0.25em 0.75em;
    padding: 0.3em 0;
    font-size: 0.9em;
  }
  .crumb::before {
    content: '';
    position: absolute;
    left: -1.38em;
    top: 0.75em;
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_muted);
  }
  .crumb.crumb-error::before,
  .crumb.crumb-fatal::before {
    background: var(--_danger);
  }
  .crumb.crumb-warning::before {
    background: var(--_warning);
  }
  .category {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .crumb-message {
    overflow-wrap: anywhere;
  }
  .crumb-data {
    grid-column: 2 / -1;
    font-family: var(--_mono);
    font-size: 0.85em;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .pairs {
    display: grid;
    grid-template-columns: minmax(6em, max-content) minmax(0, 1fr);
    gap: 0.2em 0.75em;
    margin: 0;
    font-size: 0.9em;
  }
  .pairs dt {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .pairs dd {
    margin: 0;
    overflow-wrap: anywhere;
    font-family: var(--_mono);
    font-size: 0.95em;
  }
  .request-line {
    overflow-wrap: anywhere;
  }
  a {
    color: var(--_accent);
  }
  aside section {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0 0.75em 0.75em;
    margin-top: 1em;
  }
  .message {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font-family: var(--_mono);
    background: var(--_surface);
    padding: 0.5em 0.75em;
    border-radius: var(--_radius);
  }
  [part~='tag-summary'] > h3 {
    margin: 0;
  }
  [part~='tag-summary'] {
    margin: 0.5em 0 1em;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(15em, 1fr));
    gap: 0.5em 1.25em;
  }
  [part~='tag-summary'] > h3,
  [part~='tag-summary'] > p,
  [part~='tag-summary'] > .state {
    grid-column: 1 / -1;
  }
  .tag-key {
    margin: 0 0 0.25em;
    font-size: 0.85em;
    font-family: var(--_mono);
    overflow-wrap: anywhere;
  }
  .tag-values {
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.85em;
  }
  .tag-value {
    display: grid;
    grid-template-columns: minmax(0, 1fr) max-content;
    column-gap: 0.5em;
    margin-bottom: 0.3em;
  }
  .tag-value-text {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .tag-value-count {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .share {
    grid-column: 1 / -1;
    height: 4px;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 2px;
    overflow: hidden;
  }
  .share-bar {
    display: block;
    height: 100%;
    background: var(--_accent);
  }
`;
