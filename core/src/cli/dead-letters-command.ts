import { FaultlineError } from '../errors.js';
import { queueDeadLetters } from '../providers/dead-letters.js';
import { openFaultline, type CliContext } from './open-faultline.js';
import { requireSharedQueue } from './shared-queue.js';

/**
 * `faultline queue dead-letters list|replay`: the batches that failed every retry. `list` prints one line
 * each (or JSON); `replay [ids...]` queues them again (all without ids) for the workers.
 */
export async function deadLettersCommand(
  ctx: CliContext,
  action: 'list' | 'replay',
  options: { json?: boolean; limit?: string; ids?: string[] },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    requireSharedQueue(faultline, 'faultline queue dead-letters');
    const deadLetters = queueDeadLetters(faultline.queue);
    if (!deadLetters) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `The ${faultline.queue.name} queue keeps no dead letters`);
    if (action === 'list') {
      const limit = Number(options.limit ?? 100);
      if (!Number.isInteger(limit) || limit <= 0) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', '--limit must be a positive whole number', { path: 'limit' });
      const letters = await deadLetters.list(limit);
      if (options.json) return out(JSON.stringify(letters));
      if (letters.length === 0) return out('No dead letters.');
      for (const l of letters) out(`${l.id}  projects ${l.projectIds.join(',')}  ${l.eventIds.length} events  ${l.error ?? ''}`.trimEnd());
      return;
    }
    const replayed = await deadLetters.replay(options.ids && options.ids.length > 0 ? options.ids : undefined);
    out(options.json ? JSON.stringify({ replayed }) : `Replayed ${replayed} dead letters.`);
  } finally {
    await faultline.stop();
  }
}
