import { openFaultline, type CliContext } from './open-faultline.js';

/** `faultline migrate`: the storage plugin migrates at start; this starts it with nothing else and stops. */
export async function migrateCommand(ctx: CliContext): Promise<void> {
  const faultline = await openFaultline({ ...ctx, config: { ...ctx.config, migrate: true } }, { processEvents: false });
  await faultline.stop();
  ctx.log.info('migrations are up to date');
}
