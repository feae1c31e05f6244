// The shop's error page: reads Faultline's API (same origin; the host's authorize() lets it in) and
// renders with textContent only, because event text is never HTML.
const table = document.getElementById('issues');
const api = table.dataset.api;
const status = document.getElementById('api-status');

/** Faultline's answer as JSON; a refusal is shown on the page instead of an empty table. */
async function read(res) {
  const body = await res.json().catch(() => null);
  status.hidden = res.ok;
  if (!res.ok) status.textContent = `Faultline answered ${res.status}: ${body?.error?.message ?? res.statusText}`;
  return res.ok ? body : null;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}

async function load() {
  const body = await read(await fetch(`${api}/projects/${table.dataset.project}/issues?sort=last_seen`).catch(() => new Response(null, { status: 503, statusText: 'not reachable' })));
  if (!body) return;
  const tbody = table.querySelector('tbody');
  tbody.replaceChildren();
  for (const issue of body.data ?? []) {
    const row = document.createElement('tr');
    cell(row, issue.title);
    cell(row, issue.level, `level-${issue.level}`);
    cell(row, String(issue.count));
    cell(row, new Date(issue.lastSeen).toLocaleString());
    cell(row, issue.status);
    row.addEventListener('click', () => showLatest(issue));
    tbody.appendChild(row);
  }
}

async function showLatest(issue) {
  const { data } = (await read(await fetch(`${api}/issues/${issue.id}/events?limit=1`))) ?? {};
  const event = data?.[0]?.event;
  const lines = [];
  for (const ex of event?.exception?.values ?? []) {
    lines.push(`${ex.type}: ${ex.value ?? ''}`);
    for (const f of [...(ex.stacktrace?.frames ?? [])].reverse()) {
      lines.push(`    at ${f.function ?? '?'} (${f.filename ?? f.module ?? '?'}:${f.lineno ?? '?'}:${f.colno ?? '?'})${f.in_app ? '' : '  [library]'}`);
    }
  }
  document.getElementById('detail-title').textContent = issue.title;
  document.getElementById('detail-stack').textContent = lines.join('\n') || event?.message || '';
  document.getElementById('detail').hidden = false;
}

load();
setInterval(load, 5000);
