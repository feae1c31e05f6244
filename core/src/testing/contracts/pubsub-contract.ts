import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import type { Issue } from '../../providers/storage.js';
import type { PubSubMessages, PubSubProvider } from '../../providers/pubsub.js';
import { eventually } from './eventually.js';

export type PubSubFactory = () => PubSubProvider | Promise<PubSubProvider>;

let serial = 0;
const stored = (): PubSubMessages['event:stored'] => ({
  events: [
    {
      projectId: 1,
      eventId: (++serial).toString(16).padStart(32, '0'),
      issueId: String(serial),
      receivedAt: new Date(0).toISOString(),
      level: 'error',
      environment: null,
      release: '1.0',
    },
  ],
});
const issue = (status: Issue['status']): Issue => ({
  id: '7',
  projectId: 1,
  title: 'TypeError: x is undefined',
  culprit: 'app.js in handler',
  type: 'TypeError',
  value: 'x is undefined',
  level: 'error',
  status,
  count: 3,
  userCount: 1,
  firstSeen: new Date(0).toISOString(),
  lastSeen: new Date(1000).toISOString(),
  release: null,
  environment: 'production',
  platform: 'javascript',
  fingerprint: 'abc',
  groupingVersion: '1',
});
const idOf = (m: PubSubMessages['event:stored']) => m.events[0].eventId;

/**
 * Registers mocha tests that any PubSubProvider must pass: `pubsubContract(() => myPubSub())`.
 * Each case makes a provider, starts it and stops it. Delivery is awaited, and then a last message on the
 * same topic is awaited too, so a duplicate delivered late is still seen before the counts are checked.
 */
export function pubsubContract(factory: PubSubFactory): void {
  describe('pubsub contract', () => {
    let pubsub: PubSubProvider | null = null;
    async function started() {
      pubsub = await factory();
      await pubsub.start?.();
      return pubsub;
    }
    afterEach(async () => {
      await pubsub?.stop?.();
      pubsub = null;
    });

    /** Publishes a marker on event:stored, waits until each inbox received it, and takes it out again. */
    async function barrier(p: PubSubProvider, ...inboxes: PubSubMessages['event:stored'][][]) {
      const marker = stored();
      const isMarker = (m: PubSubMessages['event:stored']) => idOf(m) === idOf(marker);
      await p.publish('event:stored', marker);
      await eventually(() => inboxes.every((inbox) => inbox.some(isMarker)), 'the marker message');
      for (const inbox of inboxes) inbox.splice(inbox.findIndex(isMarker), 1);
    }

    it('gives every subscriber each message exactly once', async () => {
      const p = await started();
      const [a, b]: PubSubMessages['event:stored'][][] = [[], []];
      p.subscribe('event:stored', (m) => void a.push(m));
      p.subscribe('event:stored', (m) => void b.push(m));
      const sent = [stored(), stored(), stored()];
      for (const m of sent) await p.publish('event:stored', m);
      await eventually(() => a.length >= 3 && b.length >= 3, 'three messages for each subscriber');
      await barrier(p, a, b);
      assert.deepEqual(a.map(idOf).sort(), sent.map(idOf).sort());
      assert.deepEqual(b.map(idOf).sort(), sent.map(idOf).sort());
    });

    it('delivers a topic only to its subscribers', async () => {
      const p = await started();
      const updates: PubSubMessages['issue:updated'][] = [];
      const inbox: PubSubMessages['event:stored'][] = [];
      p.subscribe('issue:updated', (m) => void updates.push(m));
      p.subscribe('event:stored', (m) => void inbox.push(m));
      await p.publish('issue:updated', { issue: issue('resolved'), previous: issue('unresolved') });
      await eventually(() => updates.length >= 1, 'the issue:updated message');
      await barrier(p, inbox);
      assert.deepEqual(inbox, []);
      assert.equal(updates.length, 1);
    });

    it('stops delivering to a subscriber that unsubscribed', async () => {
      const p = await started();
      const [gone, staying]: PubSubMessages['event:stored'][][] = [[], []];
      const unsubscribe = p.subscribe('event:stored', (m) => void gone.push(m));
      p.subscribe('event:stored', (m) => void staying.push(m));
      await barrier(p, staying, gone);
      unsubscribe();
      await p.publish('event:stored', stored());
      await barrier(p, staying);
      assert.equal(gone.length, 0);
      assert.equal(staying.length, 1);
    });

    it('keeps delivering to others when a subscriber throws or rejects', async () => {
      const p = await started();
      const inbox: PubSubMessages['event:stored'][] = [];
      p.subscribe('event:stored', () => {
        throw new Error('subscriber failed');
      });
      p.subscribe('event:stored', async () => {
        throw new Error('subscriber rejected');
      });
      p.subscribe('event:stored', (m) => void inbox.push(m));
      const sent = [stored(), stored()];
      for (const m of sent) await p.publish('event:stored', m);
      await eventually(() => inbox.length >= 2, 'both messages despite the failing subscribers');
      await barrier(p, inbox);
      assert.deepEqual(inbox.map(idOf), sent.map(idOf));
    });

    it('delivers plain JSON copies: no subscriber sees the publisher’s object or another subscriber’s changes', async () => {
      const p = await started();
      const [a, b]: PubSubMessages['issue:updated'][][] = [[], []];
      p.subscribe('issue:updated', (m) => {
        m.issue.title = 'changed by a subscriber';
        a.push(m);
      });
      p.subscribe('issue:updated', (m) => void b.push(m));
      const message = { issue: issue('resolved'), previous: issue('unresolved') };
      const expected = JSON.parse(JSON.stringify(message));
      await p.publish('issue:updated', message);
      message.issue.status = 'ignored';
      await eventually(() => a.length >= 1 && b.length >= 1, 'the message for both subscribers');
      assert.notEqual(b[0], message);
      assert.notEqual(b[0].issue, a[0].issue);
      assert.deepEqual(b[0], expected);
      assert.equal(Object.getPrototypeOf(b[0]), Object.prototype);
    });
  });
}
