import type { FaultlineEvent } from '../../src/shared/types.js';
import type { SendResult } from '../../src/transports/types.js';

let n = 0;

export function makeEvent(message = 'e' + ++n): FaultlineEvent {
  const id = (++n).toString(16).padStart(32, '0');
  return { event_id: id, timestamp: new Date(0).toISOString(), level: 'error', message };
}

/** A scripted server: answers in order (the last answer repeats), records every body it got. */
export function scriptedSender(...answers: Array<SendResult | 'network-error'>) {
  const bodies: Array<{ events: FaultlineEvent[] }> = [];
  let i = 0;
  async function send(body: string): Promise<SendResult> {
    const answer = answers[Math.min(i++, answers.length - 1)] ?? { status: 202 };
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    bodies.push(JSON.parse(body) as { events: FaultlineEvent[] });
    return answer;
  }
  return {
    send,
    bodies,
    calls: () => i,
    ids: () => bodies.flatMap((b) => b.events.map((e) => e.event_id)),
  };
}

/** An in-memory queue store. */
export function memoryStore(initial: FaultlineEvent[] = []) {
  let saved = initial;
  return {
    load: async () => saved,
    save: async (events: FaultlineEvent[]) => {
      saved = events;
    },
    get saved() {
      return saved;
    },
  };
}
