import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../src/testing/index.js';
import { api, errorEvent, postEvents, randomEventId } from '../helpers/http.js';

describe('the testing kit’s server on the in-memory storage, end to end', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ingestThreads: 0 });
  });
  after(async () => server?.stop());

  it('groups posted events into one issue and reads them back through the query API', async () => {
    const ids = [randomEventId(), randomEventId()];
    for (const [n, eventId] of ids.entries()) {
      expect((await postEvents(server, errorEvent({ eventId, line: 17 + n }))).status).to.equal(202);
    }
    expect((await postEvents(server, errorEvent({ eventId: ids[0] }))).status).to.equal(202); // a retry
    const issues = await api(server, `/projects/${server.project.id}/issues`);
    expect(issues.status).to.equal(200);
    expect(issues.body.data).to.have.length(1);
    expect(issues.body.data[0]).to.include({ count: 2, userCount: 1, type: 'TypeError' });
    const event = await api(server, `/events/${ids[1]}`);
    expect(event.status).to.equal(200);
    expect(event.body.issueId).to.equal(issues.body.data[0].id);
  });
});
