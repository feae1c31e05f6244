import { expect } from 'chai';
import http from 'node:http';
import net from 'node:net';
import { gracefulServer } from '../src/index.js';

/** A raw keep-alive connection that records what it read and how it ended. */
function connection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const state = { data: '', error: null as string | null, closed: false };
  socket.on('data', (d) => (state.data += d));
  socket.on('error', (e: NodeJS.ErrnoException) => (state.error = e.code ?? e.message));
  const ended = new Promise<void>((resolve) => socket.on('close', () => ((state.closed = true), resolve())));
  return { socket, state, ended };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('graceful server close', () => {
  it('closes idle keep-alive connections at once and answers a request on a busy one with 503 and Connection: close', async () => {
    let release = () => {};
    const server = http.createServer((req, res) => {
      if (req.url === '/slow') release = () => res.end('slow done');
      else res.end('quick');
    });
    const graceful = gracefulServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;

    const idle = connection(port);
    idle.socket.write('GET /quick HTTP/1.1\r\nHost: t\r\n\r\n');
    const busy = connection(port);
    busy.socket.write('GET /slow HTTP/1.1\r\nHost: t\r\n\r\n');
    await until(() => idle.state.data.includes('quick'));

    let done = false;
    const closing = graceful.close().then(() => (done = true));
    await idle.ended;
    expect(idle.state.error).to.equal(null);
    expect(done).to.equal(false);

    // A request that arrives on the busy connection during the drain: answered, not reset.
    busy.socket.write('POST /api/v1/events HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await busy.ended;
    await closing;
    expect(busy.state.error).to.equal(null);
    const [first, second] = busy.state.data.split(/(?=HTTP\/1\.1 )/);
    expect(first).to.match(/^HTTP\/1\.1 200/).and.include('slow done');
    expect(second).to.match(/^HTTP\/1\.1 503/);
    expect(second).to.match(/\r\nConnection: close\r\n/i);
    expect(second).to.match(/\r\nRetry-After: 5\r\n/i);
    expect(second).to.include('FAULTLINE_ERR_STOPPING');
    expect(server.listening).to.equal(false);
  });
});
