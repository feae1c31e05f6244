import net from 'node:net';

export interface LoopbackRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The load generator's HTTP/1.1 client: keep-alive connections, one request at a time on each, a
 * request's head and body sent in one writev. It exists because the load generator shares this
 * machine's two cores with the server: per ~50 KB request, node:http's client costs ~0.1 ms of CPU,
 * autocannon ~0.09 ms (and left cores idle), this ~0.04 ms. It reads answers framed by
 * Content-Length, which every Faultline answer has; anything else fails loudly.
 */
export async function openLoopbackConnections(url: URL, count: number) {
  const connections = await Promise.all(Array.from({ length: count }, () => connect(url)));
  return {
    connections,
    close: () => connections.forEach((c) => c.close()),
  };
}

export type LoopbackConnection = Awaited<ReturnType<typeof connect>>;

async function connect(url: URL) {
  const socket = net.connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const host = `Host: ${url.host}\r\n`;
  let waiting: { resolve(status: number): void; reject(err: Error): void } | null = null;
  let received: Buffer = Buffer.alloc(0);

  const fail = (err: Error) => {
    waiting?.reject(err);
    waiting = null;
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed by the server')));
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = received.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return fail(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
    const end = headEnd + 4 + Number(length[1]);
    if (received.length < end) return;
    received = received.subarray(end);
    const answer = waiting;
    waiting = null;
    answer?.resolve(Number(head.slice(9, 12)));
  });

  return {
    /** Sends one request; resolves with the answer's status once its body has arrived. */
    send(req: LoopbackRequest): Promise<number> {
      if (waiting) throw new Error('one request at a time on a connection');
      if (!socket.writable) return Promise.reject(new Error('connection closed by the server'));
      let head = `POST ${req.path} HTTP/1.1\r\n${host}Content-Length: ${req.body.length}\r\n`;
      for (const [name, value] of Object.entries(req.headers)) head += `${name}: ${value}\r\n`;
      return new Promise<number>((resolve, reject) => {
        waiting = { resolve, reject };
        socket.cork();
        socket.write(`${head}\r\n`, 'latin1');
        socket.write(req.body);
        socket.uncork();
      });
    },
    close: () => socket.destroy(),
  };
}
