import { expect } from 'chai';
import { createHarness, groupedEvent, newEventId, type Harness, eventOf, receivedMs } from './helpers.js';

describe('events and stats', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('gets an event by id, only within the given projects', async () => {
    const other = await h.storage.createProject({ name: 'Other', slug: 'other-events' });
    const event = groupedEvent(h.projectId, 'get', { release: '3.1' });
    const { stored } = await h.storage.storeBatch([event, groupedEvent(other.id, 'get')]);

    const found = await h.storage.getEvent(event.eventId, [h.projectId]);
    expect(found).to.deep.include({ id: event.eventId, issueId: stored[0].issueId, projectId: h.projectId });
    expect(found?.event).to.deep.equal(eventOf(event));
    expect(found?.receivedAt).to.equal(event.receivedAt);
    expect(await h.storage.getEvent(event.eventId, null)).to.deep.include({ id: event.eventId });
    expect(await h.storage.getEvent(event.eventId, [other.id])).to.equal(null);
    expect(await h.storage.getEvent(event.eventId, [])).to.equal(null);
    expect(await h.storage.getEvent(newEventId(), null)).to.equal(null);
    expect(await h.storage.getEvent('not-an-id', null)).to.equal(null);
  });

  it('lists an issue\'s events newest first, by cursor, without gaps or repeats', async () => {
    const base = Date.UTC(2030, 0, 1, 12);
    const same = new Date(base + 5000);
    const events = Array.from({ length: 9 }, (_, i) =>
      groupedEvent(h.projectId, 'timeline', { receivedAt: i < 3 ? same : new Date(base + i * 60_000) }),
    );
    const { stored } = await h.storage.storeBatch(events);
    const issueId = stored[0].issueId;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.storage.listIssueEvents(issueId, { limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).to.have.length(9);
    expect(new Set(seen).size).to.equal(9);
    const received = (id: string) => receivedMs(events.find((e) => e.eventId === id)!);
    for (let i = 1; i < seen.length; i++) expect(received(seen[i - 1])).to.be.at.least(received(seen[i]));
    expect(await h.storage.listIssueEvents('999999', { limit: 5 })).to.deep.equal({ data: [], nextCursor: null, prevCursor: null });
  });

  it('counts events per hour and per day, for the project or one issue', async () => {
    const project = await h.storage.createProject({ name: 'Stats', slug: 'stats' });
    const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2031, 2, day, hour, minute));
    const { created } = await h.storage.storeBatch([
      groupedEvent(project.id, 's1', { receivedAt: at(10, 9, 5) }),
      groupedEvent(project.id, 's1', { receivedAt: at(10, 9, 55) }),
      groupedEvent(project.id, 's2', { receivedAt: at(10, 9, 30) }),
      groupedEvent(project.id, 's2', { receivedAt: at(10, 11, 0) }),
      groupedEvent(project.id, 's1', { receivedAt: at(11, 0, 10) }),
    ]);
    await h.storage.storeBatch([groupedEvent(project.id, 's1', { receivedAt: at(10, 9, 59) })]);
    const s1 = created.find((i) => i.fingerprint === 's1')!.id;

    const hourly = await h.storage.eventStats(project.id, { since: at(10, 9, 20), until: at(10, 12), interval: 'hour' });
    expect(hourly).to.deep.equal([
      { t: at(10, 9).toISOString(), count: 4 },
      { t: at(10, 10).toISOString(), count: 0 },
      { t: at(10, 11).toISOString(), count: 1 },
    ]);
    const daily = await h.storage.eventStats(project.id, { since: at(10, 0), until: at(12, 0), interval: 'day' });
    expect(daily).to.deep.equal([
      { t: at(10, 0).toISOString(), count: 5 },
      { t: at(11, 0).toISOString(), count: 1 },
    ]);
    const issueDaily = await h.storage.eventStats(project.id, { since: at(10, 0), until: at(12, 0), interval: 'day', issueId: s1 });
    expect(issueDaily.map((p) => p.count)).to.deep.equal([3, 1]);
  });

  it('updates status and stamps resolution', async () => {
    const { created } = await h.storage.storeBatch([groupedEvent(h.projectId, 'status')]);
    expect(await h.storage.updateIssue(created[0].id, { status: 'resolved' })).to.include({ status: 'resolved' });
    expect(await h.storage.updateIssue(created[0].id, { status: 'unresolved' })).to.include({ status: 'unresolved' });
    expect(await h.storage.updateIssue('424242', { status: 'resolved' })).to.equal(null);
    expect(await h.storage.getIssue('nope')).to.equal(null);
  });
});
