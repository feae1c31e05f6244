import { FaultlineError } from '../errors.js';
import type { ArchiveProvider } from '../providers/archive.js';
import type { StorageProvider } from '../providers/storage.js';

/**
 * Why an event is not in storage: never seen (404), or seen and since archived (410 with the archive's
 * location and the restore command) or removed by retention (410). The de-duplication table remembers
 * an event id until the project's delete-after days, so it tells these apart.
 */
export async function eventGoneError(storage: StorageProvider, archive: ArchiveProvider | null, eventId: string, projectIds: number[] | null): Promise<FaultlineError> {
  const ref = await storage.findEventRef(eventId, projectIds);
  if (!ref) return new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Event not found');
  const at = Date.parse(ref.receivedAt);
  let record;
  try {
    record = archive ? (await archive.list({ projectId: ref.projectId })).find((a) => Date.parse(a.from) <= at && at < Date.parse(a.to)) : undefined;
  } catch {
    // The archive cannot be asked now: say what the policy did, without a location.
    if ((await storage.getRetention(ref.projectId)).archive) {
      return new FaultlineError('FAULTLINE_ERR_EVENT_ARCHIVED', `Event ${ref.eventId} (received ${ref.receivedAt}) was moved to the archive, which could not be reached to say where`);
    }
  }
  if (!record) return new FaultlineError('FAULTLINE_ERR_EVENT_EXPIRED', `Event ${ref.eventId} (received ${ref.receivedAt}) was removed by the project's retention`);
  const from = record.from.slice(0, 10);
  const to = new Date(Date.parse(record.to) - 1).toISOString().slice(0, 10); // --to names the last day, inclusive
  return new FaultlineError(
    'FAULTLINE_ERR_EVENT_ARCHIVED',
    `Event ${ref.eventId} (received ${ref.receivedAt}) is archived at ${record.location}; bring it back with: faultline archive restore --project ${ref.projectId} --from ${from} --to ${to}`,
  );
}
