import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHarness, groupedEvent, type Harness } from './helpers.js';

// Rows already in databases hold payloads of every released form; they must read back as they meant.
// The fixtures are core's golden payloads (core/test/fixtures/payloads), stored here byte for byte.
const root = fileURLToPath(new URL('../../../core/test/fixtures/payloads/', import.meta.url));
const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('stored payloads of every released form', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  for (const folder of folders) {
    it(`reads back each ${folder} payload as its golden event`, async () => {
      const project = await h.storage.createProject({ name: folder, slug: `payloads-${folder}` });
      const cases = readdirSync(`${root}${folder}`).filter((f) => f.endsWith('.payload')).map((f) => f.slice(0, -'.payload'.length));
      const rows = cases.map((name) => {
        const expected = JSON.parse(readFileSync(`${root}${folder}/${name}.event.json`, 'utf8')) as { event_id: string };
        const payload = new Uint8Array(readFileSync(`${root}${folder}/${name}.payload`));
        return { name, expected, grouped: { ...groupedEvent(project.id, name, { eventId: expected.event_id }), payload } };
      });
      await h.storage.storeBatch(rows.map((r) => r.grouped));
      for (const { name, expected } of rows) {
        const found = await h.storage.getEvent(expected.event_id, [project.id]);
        expect(JSON.parse(JSON.stringify(found?.event)), name).to.deep.equal(expected);
      }
    });
  }
});
