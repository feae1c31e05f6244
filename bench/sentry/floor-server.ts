/**
 * bench:sentry's floor: the least any ingest server on this machine must do per Sentry envelope, with
 * nothing of Faultline in it. node:http reads the body, one worker thread (as Faultline's ingest thread)
 * decodes it and JSON.parses the event item, the main thread answers `200 {"id"}`. No decompression,
 * validation, grouping or storage. The same load generator against it tells how much of the machine a
 * rate target leaves for everything else. IPC: sends its port once listening.
 */
import http from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on('error', (err) => {
    console.error(err);
    process.exit(1);
  });
  const waiting = new Map<number, http.ServerResponse>();
  let next = 0;
  worker.on('message', ({ seq, id }: { seq: number; id: string }) => {
    const res = waiting.get(seq)!;
    waiting.delete(seq);
    const body = JSON.stringify({ id });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks)); // owns its ArrayBuffer, so it moves without a copy
      const seq = next++;
      waiting.set(seq, res);
      worker.postMessage({ seq, body }, [body.buffer]);
    });
  });
  server.keepAliveTimeout = 0; // the load generator's connections idle while the other modes run
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as { port: number }).port));
  process.on('disconnect', () => process.exit(0));
} else {
  parentPort!.on('message', ({ seq, body }: { seq: number; body: Uint8Array }) => {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    const itemStart = text.indexOf('\n', text.indexOf('\n') + 1) + 1; // envelope header, item header, then the event
    const event = JSON.parse(text.slice(itemStart)) as { event_id?: string };
    parentPort!.postMessage({ seq, id: event.event_id ?? null });
  });
}
