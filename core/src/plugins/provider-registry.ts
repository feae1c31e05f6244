import { FaultlineError } from '../errors.js';
import type { ProviderMap, ProviderName } from './plugin-types.js';

const HINTS: Partial<Record<ProviderName, string>> = {
  storage: 'add a storage plugin, e.g. storagePostgres() from @faultline/plugin-storage-postgres',
  archive: 'add an archive plugin, or provide core\'s FileArchive with a directory (README, "Writing a plugin")',
};

/** Provider hooks: exactly one implementation each, and a coded error that names the offender otherwise. */
export class ProviderRegistry {
  private readonly impls = new Map<ProviderName, { plugin: string; impl: unknown }>();

  provide<S extends ProviderName>(plugin: string, service: S, impl: ProviderMap[S]): void {
    const existing = this.impls.get(service);
    if (existing) {
      throw new FaultlineError(
        'FAULTLINE_ERR_PROVIDER_DUPLICATE',
        `Both ${existing.plugin} and ${plugin} provide "${service}"; keep one`,
      );
    }
    this.impls.set(service, { plugin, impl });
  }

  provideDefault<S extends ProviderName>(service: S, impl: () => ProviderMap[S]): void {
    if (!this.impls.has(service)) this.impls.set(service, { plugin: '@faultline/core', impl: impl() });
  }

  has(service: ProviderName): boolean {
    return this.impls.has(service);
  }

  need<S extends ProviderName>(service: S): ProviderMap[S] {
    const found = this.impls.get(service);
    if (!found) {
      const hint = HINTS[service];
      throw new FaultlineError('FAULTLINE_ERR_PROVIDER_MISSING', `No "${service}" provider is registered${hint ? `: ${hint}` : ''}`);
    }
    return found.impl as ProviderMap[S];
  }
}
