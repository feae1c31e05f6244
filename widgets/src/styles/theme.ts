import { css } from 'lit';

/**
 * The one place colours come from: every component reads `--faultline-*` custom properties, with light
 * defaults, dark ones under `prefers-color-scheme: dark`, and `theme="light|dark"` to force either.
 * The host's font is inherited unless `--faultline-font` says otherwise.
 */
export const theme = css`
  :host {
    --_bg: var(--faultline-background, #ffffff);
    --_surface: var(--faultline-surface, #f6f7f9);
    --_text: var(--faultline-text, #1b1f24);
    --_muted: var(--faultline-muted, #57606a);
    --_border: var(--faultline-border, #d0d7de);
    --_accent: var(--faultline-accent, #0550ae);
    --_accent-text: var(--faultline-accent-text, #ffffff);
    --_danger: var(--faultline-danger, #b3261e);
    --_warning: var(--faultline-warning, #8a5300);
    --_ok: var(--faultline-ok, #1a7f37);
    --_highlight: var(--faultline-highlight, #fff8c5);
    --_radius: var(--faultline-radius, 6px);
    --_mono: var(--faultline-mono-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    color-scheme: light;
    font-family: var(--faultline-font, inherit);
    color: var(--_text);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_bg: var(--faultline-background, #0d1117);
      --_surface: var(--faultline-surface, #161b22);
      --_text: var(--faultline-text, #e6edf3);
      --_muted: var(--faultline-muted, #9da7b3);
      --_border: var(--faultline-border, #30363d);
      --_accent: var(--faultline-accent, #58a6ff);
      --_accent-text: var(--faultline-accent-text, #0d1117);
      --_danger: var(--faultline-danger, #ff7b72);
      --_warning: var(--faultline-warning, #e3b341);
      --_ok: var(--faultline-ok, #3fb950);
      --_highlight: var(--faultline-highlight, #3b2e00);
      color-scheme: dark;
    }
  }
  :host([theme='dark']) {
    --_bg: var(--faultline-background, #0d1117);
    --_surface: var(--faultline-surface, #161b22);
    --_text: var(--faultline-text, #e6edf3);
    --_muted: var(--faultline-muted, #9da7b3);
    --_border: var(--faultline-border, #30363d);
    --_accent: var(--faultline-accent, #58a6ff);
    --_accent-text: var(--faultline-accent-text, #0d1117);
    --_danger: var(--faultline-danger, #ff7b72);
    --_warning: var(--faultline-warning, #e3b341);
    --_ok: var(--faultline-ok, #3fb950);
    --_highlight: var(--faultline-highlight, #3b2e00);
    color-scheme: dark;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.3em 0.8em;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-text);
    border-color: var(--_accent);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .level {
    display: inline-block;
    min-width: 4.5em;
    padding: 0 0.4em;
    border-radius: 999px;
    font-size: 0.8em;
    text-align: center;
    border: 1px solid currentColor;
  }
  .level-fatal,
  .level-error {
    color: var(--_danger);
  }
  .level-warning {
    color: var(--_warning);
  }
  .level-info,
  .level-debug {
    color: var(--_muted);
  }
  .state {
    padding: 2em 1em;
    text-align: center;
    color: var(--_muted);
  }
  .state.error {
    color: var(--_danger);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
