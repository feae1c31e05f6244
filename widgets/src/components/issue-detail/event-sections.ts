import { html, nothing, type TemplateResult } from 'lit';
import type { Breadcrumb, CanonicalEvent, ExceptionValue, StackFrame } from '../../api/types.js';
import { dateTime, safeHref, text } from '../../shared/format.js';

/**
 * The parts of one event, as Lit templates. Every value from the event is interpolated as text: Lit escapes
 * it, and nothing here builds HTML from strings.
 */

export function exceptionSection(event: CanonicalEvent): TemplateResult | typeof nothing {
  const values = event.exception?.values ?? [];
  if (values.length === 0) return nothing;
  // Sentry's order is the cause first; show the exception that was raised last on top.
  const chain = [...values].reverse();
  return html`<section part="section exception" aria-labelledby="exception-heading">
    <h3 id="exception-heading">Exception</h3>
    ${chain.map((value, i) => exceptionBlock(value, i > 0))}
  </section>`;
}

function exceptionBlock(value: ExceptionValue, isCause: boolean): TemplateResult {
  const frames = [...(value.stacktrace?.frames ?? [])].reverse(); // the throwing frame first
  const inApp = frames.filter((f) => f.in_app);
  const library = frames.filter((f) => !f.in_app);
  return html`<div class="exception">
    ${isCause ? html`<div class="caused-by">Caused by</div>` : nothing}
    <div class="exception-head">
      <strong class="exception-type">${text(value.type ?? 'Error')}</strong>${value.value ? html`: <span class="exception-value">${text(value.value)}</span>` : nothing}
    </div>
    ${value.mechanism ? html`<div class="muted small">mechanism ${text(value.mechanism.type)}${value.mechanism.handled === false ? ' · unhandled' : ''}</div>` : nothing}
    ${frames.length === 0 ? html`<p class="muted">No stack trace.</p>` : nothing}
    ${inApp.length > 0 ? html`<ol class="frames in-app" aria-label="In-app frames">${inApp.map((f) => frameItem(f, true))}</ol>` : nothing}
    ${library.length > 0
      ? html`<details class="library" ?open=${inApp.length === 0}>
          <summary>${library.length} library frame${library.length === 1 ? '' : 's'}</summary>
          <ol class="frames" aria-label="Library frames">${library.map((f) => frameItem(f, inApp.length === 0))}</ol>
        </details>`
      : nothing}
  </div>`;
}

function frameItem(frame: StackFrame, expanded: boolean): TemplateResult {
  const where = text(frame.filename ?? frame.abs_path ?? frame.module ?? '?');
  const position = frame.lineno !== undefined ? `:${frame.lineno}${frame.colno !== undefined ? `:${frame.colno}` : ''}` : '';
  const hasContext = frame.context_line !== undefined;
  return html`<li class="frame ${frame.in_app ? 'frame-in-app' : 'frame-library'}">
    <div class="frame-head">
      <span class="function">${text(frame.function ?? '<anonymous>')}</span>
      <span class="muted"> at </span>
      <span class="filename">${where}</span><span class="muted">${position}</span>
      ${frame.in_app ? html`<span class="badge">in app</span>` : nothing}
    </div>
    ${hasContext && expanded ? contextLines(frame) : nothing}
  </li>`;
}

function contextLines(frame: StackFrame): TemplateResult {
  const pre = (frame.pre_context ?? []).map(text);
  const post = (frame.post_context ?? []).map(text);
  const line = typeof frame.lineno === 'number' ? frame.lineno : null;
  const rows: Array<[number | null, string, boolean]> = [
    ...pre.map((l, i): [number | null, string, boolean] => [line === null ? null : line - pre.length + i, l, false]),
    [line, text(frame.context_line), true],
    ...post.map((l, i): [number | null, string, boolean] => [line === null ? null : line + 1 + i, l, false]),
  ];
  return html`<pre class="context" part="code"><code>${rows.map(
    ([n, l, current]) => html`<span class="line ${current ? 'current' : ''}"><span class="lineno" aria-hidden="true">${n ?? ''}</span>${l}
</span>`,
  )}</code></pre>`;
}

export function breadcrumbsSection(event: CanonicalEvent): TemplateResult | typeof nothing {
  const crumbs = Array.isArray(event.breadcrumbs) ? event.breadcrumbs : [];
  if (crumbs.length === 0) return nothing;
  const recent = [...crumbs].reverse();
  return html`<section part="section breadcrumbs" aria-labelledby="breadcrumbs-heading">
    <h3 id="breadcrumbs-heading">Breadcrumbs</h3>
    <ol class="timeline">${recent.map(crumbItem)}</ol>
  </section>`;
}

function crumbItem(crumb: Breadcrumb): TemplateResult {
  return html`<li class="crumb crumb-${text(crumb.level ?? 'info')}">
    <time class="muted small">${dateTime(crumb.timestamp)}</time>
    <span class="category">${text(crumb.category ?? crumb.type ?? 'default')}</span>
    <span class="crumb-message">${text(crumb.message ?? '')}</span>
    ${crumb.data && Object.keys(crumb.data).length > 0 ? html`<code class="crumb-data">${text(crumb.data)}</code>` : nothing}
  </li>`;
}

/** A titled list of name/value pairs; values that are objects show as JSON text. */
export function pairsSection(title: string, part: string, pairs: Array<[string, unknown]>): TemplateResult | typeof nothing {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (shown.length === 0) return nothing;
  return html`<section part="section ${part}">
    <h3>${title}</h3>
    <dl class="pairs">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${text(v)}</dd>`)}</dl>
  </section>`;
}

export function requestSection(event: CanonicalEvent): TemplateResult | typeof nothing {
  const request = event.request;
  if (!request) return nothing;
  const href = safeHref(request.url);
  const headers = Object.entries(request.headers ?? {});
  return html`<section part="section request">
    <h3>Request</h3>
    <p class="request-line">
      <strong>${text(request.method ?? '')}</strong>
      ${href
        ? html`<a class="request-url" href=${href} target="_blank" rel="noopener noreferrer nofollow">${text(request.url)}</a>`
        : html`<span class="request-url">${text(request.url ?? '')}</span>`}
    </p>
    ${request.query_string ? html`<p class="muted small">Query: <code>${text(request.query_string)}</code></p>` : nothing}
    ${headers.length > 0 ? html`<dl class="pairs">${headers.map(([k, v]) => html`<dt>${k}</dt><dd>${text(v)}</dd>`)}</dl>` : nothing}
  </section>`;
}

export function contextsSection(event: CanonicalEvent): TemplateResult | typeof nothing {
  const contexts = Object.entries(event.contexts ?? {});
  if (contexts.length === 0) return nothing;
  return html`<section part="section contexts">
    <h3>Contexts</h3>
    ${contexts.map(
      ([name, values]) => html`<h4>${name}</h4>
        <dl class="pairs">${Object.entries(values ?? {}).map(([k, v]) => html`<dt>${k}</dt><dd>${text(v)}</dd>`)}</dl>`,
    )}
  </section>`;
}

export function messageOf(event: CanonicalEvent): string {
  const m = event.message as unknown;
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object') return text((m as { formatted?: string; message?: string }).formatted ?? (m as { message?: string }).message ?? '');
  return '';
}
