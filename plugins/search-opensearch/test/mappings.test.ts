import { expect } from 'chai';
import { eventDocument, eventIndexName, eventIndexTemplate, expiredIndices } from '../src/index.js';

describe('event index mappings, as data', () => {
  const template = eventIndexTemplate('fl-events');
  const props = (template.template as { mappings: { properties: Record<string, any>; dynamic: string } }).mappings;

  it('matches the daily indices and maps filters as keywords, free text as text, tags as nested pairs', () => {
    expect(template.index_patterns).to.deep.equal(['fl-events-*']);
    expect(props.dynamic).to.equal('strict');
    for (const field of ['issue_id', 'event_id', 'level', 'release', 'environment', 'error_type']) expect(props.properties[field].type, field).to.equal('keyword');
    expect(props.properties.project_id.type).to.equal('integer');
    expect(props.properties.received_at.type).to.equal('date');
    expect(props.properties.text.type).to.equal('text');
    expect(props.properties.tags).to.deep.include({ type: 'nested' });
    expect(props.properties.tags.properties.key.type).to.equal('keyword');
    expect(props.properties.stack.properties.filename.type).to.equal('keyword');
  });

  it('names an index by the UTC day an event was received; retention drops whole days past it', () => {
    expect(eventIndexName('fl-events', '2026-03-01T23:59:59.999Z')).to.equal('fl-events-2026.03.01');
    expect(eventIndexName('fl-events', '2026-03-02T00:00:00Z')).to.equal('fl-events-2026.03.02');
    const now = new Date('2026-03-31T12:00:00Z');
    const names = ['fl-events-2026.02.28', 'fl-events-2026.03.01', 'fl-events-2026.03.02', 'other-2026.01.01', 'fl-events-x'];
    expect(expiredIndices('fl-events', names, 30, now)).to.deep.equal(['fl-events-2026.02.28']);
  });

  it('makes one document per event: tags and user fields as pairs, frames, the text', () => {
    const doc = eventDocument(
      { projectId: 3, issueId: '17', eventId: 'ab'.repeat(16), receivedAt: '2026-03-01T10:00:00.000Z' },
      {
        event_id: 'ab'.repeat(16),
        timestamp: '2026-03-01T10:00:00.000Z',
        level: 'error',
        platform: 'node',
        release: 'shop@1',
        tags: { browser: 'Chrome' },
        user: { email: 'ann@example.com' },
        exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: 'a.ts', function: 'main' }] } }] },
      },
    );
    expect(doc).to.deep.equal({
      project_id: 3,
      issue_id: '17',
      event_id: 'ab'.repeat(16),
      received_at: '2026-03-01T10:00:00.000Z',
      level: 'error',
      release: 'shop@1',
      environment: null,
      error_type: 'TypeError',
      text: 'TypeError x is undefined',
      tags: [{ key: 'browser', value: 'Chrome' }, { key: 'user.email', value: 'ann@example.com' }],
      stack: { filename: ['a.ts'], function: ['main'] },
    });
  });
});
