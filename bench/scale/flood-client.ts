/**
 * The flooding key of bench:scale's flood scenario, in a process of its own so its clients do not share an
 * event loop with the steady project's (whose latency is measured). Forked by flood.ts with
 * `<endpoint> <key> <clients> <eventsPerRequest>`; sends with no pause and ignores 429s. Messages: it sends
 * `{ refused: true }` on its first 429; on `measure` it starts counting answers, on `stop` it stops and
 * answers with `{ requests, statuses, cpuSeconds }` (its CPU while counting).
 */
import { createEventGenerator } from '../shared/events.js';
import { createHttpClient } from '../shared/http.js';

const [endpoint, key, clientsArg, perRequestArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const perRequest = Number(perRequestArg);
const nextEvent = createEventGenerator({ issues: 50 });
const bodies = Array.from({ length: 200 }, () => Buffer.from(`{"events":[${Array.from({ length: perRequest }, () => JSON.stringify(nextEvent())).join(',')}]}`));
const http = createHttpClient(clients);
const counted = { requests: 0, statuses: {} as Record<number, number> };
let measuring = false;
let flooding = true;
let refused = false;
let cpuAtMeasure = process.cpuUsage();

process.on('message', (message) => {
  if (message === 'measure') {
    measuring = true;
    cpuAtMeasure = process.cpuUsage();
  } else if (message === 'stop') {
    flooding = false;
  }
});

let at = 0;
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (flooding) {
      const body = bodies[at++ % bodies.length];
      const res = await http.request('POST', endpoint, { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': String(body.length) }, body);
      if (res.status === 429 && !refused) {
        refused = true;
        process.send!({ refused: true });
      }
      if (!measuring) continue;
      counted.requests++;
      counted.statuses[res.status] = (counted.statuses[res.status] ?? 0) + 1;
    }
  }),
);
const cpu = process.cpuUsage(cpuAtMeasure);
http.close();
process.send!({ ...counted, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.disconnect());
