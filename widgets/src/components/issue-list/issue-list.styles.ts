import { css } from 'lit';

export const issueListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: var(--faultline-list-height, 560px);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
  }
  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    padding: 0.5em 0.75em;
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  [role='tablist'] {
    display: flex;
    gap: 0.25em;
  }
  [role='tab'] {
    border-color: transparent;
    background: transparent;
  }
  [role='tab'][aria-selected='true'] {
    border-color: var(--_border);
    background: var(--_bg);
    font-weight: 600;
  }
  .spacer {
    flex: 1;
  }
  .bulk {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  label {
    color: var(--_muted);
    font-size: 0.9em;
  }
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.2em 0.4em;
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
  }
  vaadin-grid {
    height: 100%;
    border: none;
    font-family: inherit;
    --vaadin-background-color: var(--_bg);
    --vaadin-text-color: var(--_text);
    --vaadin-text-color-secondary: var(--_muted);
    --vaadin-border-color-secondary: var(--_border);
    --vaadin-grid-border-color: var(--_border);
    --vaadin-focus-ring-color: var(--_accent);
    --vaadin-grid-row-hover-background-color: var(--_surface);
    --vaadin-grid-row-selected-background-color: var(--_highlight);
    --vaadin-grid-header-text-color: var(--_muted);
    --vaadin-grid-cell-background-color: var(--_bg);
    --vaadin-border-color: var(--_muted);
    --vaadin-input-field-border-color: var(--_muted);
  }
  .sparkline {
    display: block;
    width: 100%;
    height: 1.4em;
    color: var(--_accent);
  }
  .overlay {
    position: absolute;
    inset: 48px 0 0 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: flex-start;
    gap: 0.75em;
    background: var(--_bg);
  }
`;
