import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultlineError } from '../errors.js';

export interface GracefulServer {
  /**
   * Stops taking connections and closes idle keep-alive ones at once; requests already being answered
   * finish. A request that then arrives on one of those connections gets `503 FAULTLINE_ERR_STOPPING`
   * with `Retry-After` and `Connection: close` instead of a reset; a connection that stays quiet is
   * closed by the server's keep-alive timeout. Resolves when every connection is closed (after
   * `timeoutMs`, the rest are closed).
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Call when the server is created, so it knows every connection when it is told to close. */
export function gracefulServer(server: Server): GracefulServer {
  const sockets = new Set<Socket>();
  let closing: Promise<void> | null = null;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  function close({ timeoutMs = 10_000 } = {}): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      for (const listener of server.listeners('request')) server.off('request', listener as (...args: unknown[]) => void);
      server.on('request', refuseWhileClosing);
      server.close();
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
      force.unref();
      const check = () => {
        if (sockets.size > 0) return;
        clearTimeout(force);
        resolve();
      };
      for (const socket of sockets) socket.once('close', () => setImmediate(check));
      check();
    });
    return closing;
  }
  return { close };
}

function refuseWhileClosing(_req: IncomingMessage, res: ServerResponse): void {
  const err = new FaultlineError('FAULTLINE_ERR_STOPPING', undefined, { retryAfter: 5 });
  res.writeHead(err.status, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(err.retryAfter), Connection: 'close' });
  res.end(JSON.stringify(err.toJSON()));
}
