import type { Logger } from 'pino';
import { FaultlineError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import {
  HOOK_KINDS,
  type HookContext,
  type HookHandler,
  type HookName,
  type HookValue,
} from './hook-names.js';

interface Tap<N extends HookName> {
  plugin: string;
  fn: HookHandler<N>;
}

/** What a plugin sees: it can tap, not call. */
export interface HookTaps {
  tap<N extends HookName>(name: N, handler: HookHandler<N>): () => void;
}

/** Holds the handlers of every hook and runs them by the semantics of the hook's kind. */
export class HookRegistry {
  private readonly taps = new Map<HookName, Tap<any>[]>();

  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** A tap-only view that stamps the plugin's name on every handler it registers. */
  forPlugin(plugin: string): HookTaps {
    return { tap: (name, handler) => this.tap(plugin, name, handler) };
  }

  tap<N extends HookName>(plugin: string, name: N, fn: HookHandler<N>): () => void {
    if (!Object.hasOwn(HOOK_KINDS, name)) {
      throw new FaultlineError('FAULTLINE_ERR_HOOK_UNKNOWN', `Unknown hook "${String(name)}" (plugin ${plugin})`);
    }
    const list = this.taps.get(name) ?? [];
    const entry: Tap<N> = { plugin, fn };
    this.taps.set(name, [...list, entry]);
    return () => this.taps.set(name, (this.taps.get(name) ?? []).filter((t) => t !== entry));
  }

  has(name: HookName): boolean {
    return (this.taps.get(name)?.length ?? 0) > 0;
  }

  /** Each handler gets the value and returns the next one. */
  async waterfall<N extends HookName>(name: N, value: HookValue<N>, context: HookContext<N>): Promise<HookValue<N>> {
    const list = this.taps.get(name) as Tap<N>[] | undefined;
    if (!list) return value;
    let current = value;
    for (const { fn } of list) current = await (fn as any)(current, context);
    return current;
  }

  /** False from any handler drops the value. */
  async filter<N extends HookName>(name: N, value: HookValue<N>, context: HookContext<N>): Promise<boolean> {
    const list = this.taps.get(name) as Tap<N>[] | undefined;
    if (!list) return true;
    for (const { fn } of list) if ((await (fn as any)(value, context)) === false) return false;
    return true;
  }

  /** Runs every handler in parallel; failures are logged and counted and never reach the caller. */
  async notify<N extends HookName>(name: N, value: HookValue<N>): Promise<void> {
    const list = this.taps.get(name) as Tap<N>[] | undefined;
    if (!list) return;
    await Promise.all(
      list.map(async ({ plugin, fn }) => {
        try {
          await (fn as any)(value);
        } catch (err) {
          this.metrics.hookFailures.inc({ hook: name, plugin });
          this.log.error({ plugin, hook: name, err }, 'hook handler failed');
        }
      }),
    );
  }
}
