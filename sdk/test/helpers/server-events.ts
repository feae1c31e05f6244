/** Reads what a real Faultline stored, through its query API, as a user of the API would. */

export interface StoredEvent {
  id: string;
  issueId: string;
  projectId: number;
  event: {
    event_id?: string;
    message?: string;
    level?: string;
    tags?: Record<string, string>;
    exception?: { values: Array<{ type: string; value: string; mechanism?: { type: string; handled: boolean }; stacktrace?: { frames: Array<Record<string, unknown>> } }> };
    [k: string]: unknown;
  };
}

interface Target {
  url: string;
  project: { id: number; secretToken: string };
}

async function getJson<T>(target: Target, path: string): Promise<T> {
  const res = await fetch(target.url + path, { headers: { Authorization: 'Bearer ' + target.project.secretToken } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every stored event of the project, across all its issues (any status). */
export async function storedEvents(target: Target): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const issues = await getJson<{ data: Array<{ id: string }> }>(target, `/api/v1/projects/${target.project.id}/issues?query=${encodeURIComponent('is:unresolved')}&limit=100`).catch(() =>
    getJson<{ data: Array<{ id: string }> }>(target, `/api/v1/projects/${target.project.id}/issues?limit=100`),
  );
  for (const issue of issues.data) {
    const page = await getJson<{ data: StoredEvent[] }>(target, `/api/v1/issues/${issue.id}/events?limit=100`);
    out.push(...page.data);
  }
  return out;
}

/** Polls `read` until `done` says yes; gives up after `limitMs` with the last value in the error. */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, limitMs = 15_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > end) throw new Error('gave up waiting; last value: ' + JSON.stringify(last).slice(0, 2000));
    await new Promise((r) => setTimeout(r, 100));
  }
}
