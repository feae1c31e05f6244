import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { FaultlineError } from '../errors.js';
import { formatPath } from '../event/check-shape.js';
import type { AlertChannel, AlertMessage, AlertSendResult } from '../providers/alert-channel.js';

const TYPE = /^[a-z][a-z0-9-]*$/;
// ajv-formats is CommonJS: under Node's ESM its function is the default export's `default`.
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ?? ajvFormats) as unknown as (ajv: Ajv) => Ajv;

interface Registered {
  plugin: string;
  channel: AlertChannel<any>;
  validate: ValidateFunction;
}

/**
 * The `alertChannels` registry: every alert channel by type. Configs are checked against the channel's
 * schema before any call reaches it, so a channel never sees a config it did not declare; a bad one is
 * FAULTLINE_ERR_ALERT_CHANNEL_CONFIG naming the path (`config.to[0]`).
 */
export class AlertChannelRegistry {
  // Own instance: channel schemas keep their defaults out of the request validator's settings.
  // Formats (uri, email, hostname, ...) are checked: channel configs are mostly addresses.
  private readonly ajv = addFormats(new Ajv({ allErrors: false, useDefaults: true, strict: false, allowUnionTypes: true }));
  private readonly channels = new Map<string, Registered>();

  register(plugin: string, channel: AlertChannel<any>): void {
    if (typeof channel?.type !== 'string' || !TYPE.test(channel.type)) {
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `Plugin ${plugin} registers an alert channel whose type is not [a-z][a-z0-9-]*`);
    }
    if (typeof channel.send !== 'function' || typeof channel.test !== 'function') {
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `Alert channel "${channel.type}" of ${plugin} needs send() and test()`);
    }
    const existing = this.channels.get(channel.type);
    if (existing) {
      throw new FaultlineError('FAULTLINE_ERR_PROVIDER_DUPLICATE', `Both ${existing.plugin} and ${plugin} register alert channel "${channel.type}"; keep one`);
    }
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(channel.configSchema);
    } catch (err) {
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `Alert channel "${channel.type}" of ${plugin} has an invalid config schema: ${(err as Error).message}`);
    }
    this.channels.set(channel.type, { plugin, channel, validate });
  }

  types(): string[] {
    return [...this.channels.keys()].sort();
  }

  list(): AlertChannel<unknown>[] {
    return this.types().map((type) => this.channels.get(type)!.channel);
  }

  /** The channel of a type, or FAULTLINE_ERR_ALERT_CHANNEL_UNKNOWN naming the known ones. */
  get(type: string): AlertChannel<unknown> {
    return this.entry(type).channel;
  }

  /** The config with the schema's defaults filled in, or a coded error naming the first bad path. */
  validateConfig<C = Record<string, unknown>>(type: string, config: unknown): C {
    const { validate } = this.entry(type);
    const copy = structuredClone(config);
    if (!validate(copy)) {
      const err = validate.errors?.[0];
      const segments = err ? err.instancePath.split('/').slice(1) : [];
      if (err?.keyword === 'required') segments.push(String(err.params.missingProperty));
      if (err?.keyword === 'additionalProperties') segments.push(String(err.params.additionalProperty));
      const inner = formatPath(segments);
      const path = inner === '' ? 'config' : inner.startsWith('[') ? `config${inner}` : `config.${inner}`;
      throw new FaultlineError('FAULTLINE_ERR_ALERT_CHANNEL_CONFIG', `${type} ${path} ${err?.message ?? 'is invalid'}`, { path });
    }
    return copy as C;
  }

  async send(type: string, message: AlertMessage, config: unknown): Promise<AlertSendResult> {
    const valid = this.validateConfig(type, config);
    return this.entry(type).channel.send(message, valid);
  }

  async test(type: string, config: unknown): Promise<AlertSendResult> {
    const valid = this.validateConfig(type, config);
    return this.entry(type).channel.test(valid);
  }

  private entry(type: string): Registered {
    const found = this.channels.get(type);
    if (!found) {
      const known = this.types();
      throw new FaultlineError('FAULTLINE_ERR_ALERT_CHANNEL_UNKNOWN', `No alert channel "${type}" (known: ${known.length ? known.join(', ') : 'none; add an alert plugin'})`, { path: 'type' });
    }
    return found;
  }
}
