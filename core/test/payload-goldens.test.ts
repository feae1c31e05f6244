import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePayload } from '../src/index.js';
import { PAYLOAD_VERSION, PAYLOAD_VERSIONS } from '../src/ingest/event-payload.js';
import { PAYLOAD_CASES } from './fixtures/payloads/payload-cases.js';

// Stored payloads of every released form, with the events they decode to. A failure here means old rows
// would now read differently: do not edit the expected JSON, add a payload version instead (see
// core/src/ingest/event-payload.ts).
const root = fileURLToPath(new URL('./fixtures/payloads/', import.meta.url));
const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('stored payloads keep their meaning (golden fixtures)', () => {
  it('has fixtures for the serialized canonical form and for every version of the form as sent', () => {
    expect(folders).to.include.members(['canonical', 'v1', ...PAYLOAD_VERSIONS.map((v) => `v${v}`)]);
    expect(PAYLOAD_VERSIONS).to.include.members([1, PAYLOAD_VERSION]);
  });

  it('has every case for the version ingest writes now (write-fixtures.ts adds them)', () => {
    const sentCases = PAYLOAD_CASES.filter((c) => !c.canonical && c.keepSent !== false).map((c) => `${c.name}.payload`);
    expect(readdirSync(join(root, `v${PAYLOAD_VERSION}`))).to.include.members(sentCases);
  });

  for (const folder of folders) {
    describe(folder, () => {
      const cases = readdirSync(join(root, folder)).filter((f) => f.endsWith('.payload')).map((f) => f.slice(0, -'.payload'.length));

      it('holds cases', () => expect(cases.length).to.be.at.least(2));

      for (const name of cases) {
        it(name, () => {
          const payload = new Uint8Array(readFileSync(join(root, folder, `${name}.payload`)));
          const expected: unknown = JSON.parse(readFileSync(join(root, folder, `${name}.event.json`), 'utf8'));
          expect(plain(decodePayload(payload)), 'old rows would read differently: add a payload version, do not edit the fixture').to.deep.equal(expected);
          expect(plain(decodePayload(new TextDecoder().decode(payload))), 'read back as a string').to.deep.equal(expected);
        });
      }
    });
  }
});
