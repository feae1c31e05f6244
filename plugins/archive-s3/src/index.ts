import { definePlugin, type FaultlinePlugin } from '@faultline/core';
import { resolveOptions, type ArchiveS3Options } from './options.js';
import { S3Archive, type ExportStep } from './s3-archive.js';

export { S3Archive, type ExportStep } from './s3-archive.js';
export { defaultOptions, resolveOptions, type ArchiveS3Options } from './options.js';
export type { Manifest } from './archive-format.js';

/**
 * The S3 archive plugin: `archiveS3({ bucket, endpoint?, forcePathStyle? })`, or FAULTLINE_S3_* in the
 * environment. Provides `archive`; retention then exports days past a project's hot days here before
 * their partitions are dropped. Options are checked here, so a bad one fails before start-up.
 */
export function archiveS3(options: ArchiveS3Options & { afterStep?: (step: ExportStep, key: string) => Promise<void> | void } = {}): FaultlinePlugin {
  const resolved = resolveOptions(options);
  return definePlugin({
    name: '@faultline/plugin-archive-s3',
    core: '^0.1.0',
    setup(ctx) {
      ctx.provide('archive', new S3Archive(resolved, () => ctx.need('storage'), ctx.log, options.afterStep));
    },
  });
}

export default archiveS3;
