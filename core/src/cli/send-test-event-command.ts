import { randomUUID } from 'node:crypto';
import { parseDsn } from '../auth/dsn.js';
import { FaultlineError } from '../errors.js';

/** `faultline send-test-event --dsn <dsn>`: posts one realistic sample error to the native route. */
export async function sendTestEventCommand(
  options: { dsn?: string },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const raw = options.dsn ?? process.env.FAULTLINE_DSN;
  if (!raw) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'Give --dsn or set FAULTLINE_DSN', { path: 'dsn' });
  let dsn;
  try {
    dsn = parseDsn(raw);
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', (err as Error).message, { path: 'dsn' });
  }
  const url = `${dsn.protocol}://${dsn.host}${dsn.mountPath}/api/v1/events`;
  const event = sampleEvent();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${dsn.publicKey}` },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status !== 202) {
    throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `Faultline answered ${res.status}: ${body.slice(0, 500)}`);
  }
  out(`Sent test event ${event.event_id} to project ${dsn.projectId}`);
}

function sampleEvent() {
  return {
    event_id: randomUUID().replace(/-/g, ''),
    timestamp: new Date().toISOString(),
    level: 'error',
    platform: 'node',
    environment: 'test',
    tags: { source: 'faultline send-test-event' },
    exception: {
      values: [
        {
          type: 'FaultlineTestError',
          value: 'This is a test event sent by `faultline send-test-event`',
          mechanism: { type: 'generic', handled: true },
          stacktrace: {
            frames: [
              { filename: 'node:internal/main/run_main_module', function: 'runMain', lineno: 28, colno: 49, in_app: false },
              { filename: 'bin/faultline.js', function: 'main', lineno: 12, colno: 3, in_app: true },
              { filename: 'src/cli/send-test-event-command.ts', function: 'sendTestEventCommand', lineno: 21, colno: 17, in_app: true },
            ],
          },
        },
      ],
    },
  };
}
