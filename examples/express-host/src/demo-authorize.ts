import type { Request } from 'express';
import type { Grant } from '@faultline/core';

/**
 * The host decides who may read Faultline's API (instead of tokens). This demo lets the browser on this
 * machine read its own project, so the errors page needs no login; a real app checks its own session
 * here. A request that carries `Authorization` is judged by its token (null falls back to tokens), so the
 * admin API works against the demo with the tokens `npm start` and `faultline project create` print.
 */
export function demoAuthorize(demoProjectId: () => number): (req: Request) => Grant | null {
  return function authorize(req) {
    if (req.get('authorization') !== undefined) return null;
    const ip = req.socket.remoteAddress ?? '';
    const local = ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
    return local && demoProjectId() ? { role: 'member', projectIds: [demoProjectId()] } : null;
  };
}
