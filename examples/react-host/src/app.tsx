import { useState } from 'react';
import '@faultline/widgets/components';
import type { Issue } from '@faultline/core';

export interface AppProps {
  baseUrl: string;
  project: string;
  token: string;
}

/**
 * A React admin page that uses Faultline's elements like any other tags: React owns the layout and the
 * state (which issue is open, what changed), the elements own the data.
 */
export function App({ baseUrl, project, token }: AppProps) {
  const [selected, setSelected] = useState<Issue | null>(null);
  const [changes, setChanges] = useState<string[]>([]);
  const common = { 'base-url': baseUrl, project, token };
  return (
    <div className="app">
      <header>
        <h1>Acme admin</h1>
        <p data-testid="selected">{selected ? `Open: ${selected.title}` : 'No issue open'}</p>
      </header>
      <faultline-trend-chart {...common} />
      <div className="columns">
        <faultline-issue-list {...common} onfaultline-issue-select={(e) => setSelected(e.detail.issue)} />
        {selected ? (
          <faultline-issue-detail
            {...common}
            issue={selected.id}
            onfaultline-status-change={(e) => setChanges((list) => [...list, `${e.detail.issues.length} ${e.detail.status}`])}
          />
        ) : (
          <p className="hint">Choose an issue.</p>
        )}
      </div>
      <ul data-testid="changes">
        {changes.map((change, i) => (
          <li key={i}>{change}</li>
        ))}
      </ul>
    </div>
  );
}
