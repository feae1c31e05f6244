import { definePlugin, FaultlineError, type FaultlinePlugin } from '@faultline/core';
import nodemailer, { type Transporter } from 'nodemailer';
import { emailChannel } from './email-channel.js';
import { loadTemplates, type EmailTemplates, type TemplatePaths } from './templates.js';

export { emailChannel, type EmailConfig } from './email-channel.js';
export { emailView, type EmailView } from './email-view.js';
export { loadTemplates, type EmailTemplates, type TemplatePaths } from './templates.js';

export interface AlertEmailOptions {
  /** `smtp://user:pass@host:587` or `smtps://...` (or FAULTLINE_SMTP_URL). */
  smtpUrl?: string;
  /** Any nodemailer transport, or nodemailer transport options, instead of an SMTP URL. */
  transport?: Transporter | Parameters<typeof nodemailer.createTransport>[0];
  /** The sender (or FAULTLINE_SMTP_FROM). Default `Faultline <faultline@localhost>`. */
  from?: string;
  /** Your own handlebars templates, by path. */
  templates?: TemplatePaths;
  /** How long one message may take to be accepted; also SMTP's connection and socket timeouts. Default 10 s. */
  timeoutMs?: number;
}

export const defaultOptions = {
  from: 'Faultline <faultline@localhost>',
  timeoutMs: 10_000,
} as const;

function isTransporter(value: unknown): value is Transporter {
  return typeof (value as Transporter)?.sendMail === 'function';
}

/**
 * `alertEmail({ smtpUrl })`: registers the `email` alert channel. A rule's action names recipients
 * (`{"channel": "email", "to": ["ops@example.com"]}`); the SMTP server and sender are the host's.
 */
export function alertEmail(options: AlertEmailOptions = {}): FaultlinePlugin {
  const smtpUrl = options.smtpUrl ?? process.env.FAULTLINE_SMTP_URL;
  const from = options.from ?? process.env.FAULTLINE_SMTP_FROM ?? defaultOptions.from;
  const timeoutMs = options.timeoutMs ?? defaultOptions.timeoutMs;
  if (!smtpUrl && !options.transport) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'alert-email needs smtpUrl (or FAULTLINE_SMTP_URL) or a nodemailer transport');
  }
  let transport: Transporter | null = null;
  let templates: EmailTemplates | null = null;
  const ownsTransport = !isTransporter(options.transport);
  return definePlugin({
    name: '@faultline/plugin-alert-email',
    core: '^0.1.0',
    async setup(ctx) {
      templates = await loadTemplates(options.templates);
      if (isTransporter(options.transport)) transport = options.transport;
      else if (options.transport) transport = nodemailer.createTransport(options.transport as never);
      else transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs } as never);
      ctx.alertChannel(
        emailChannel({
          transport: () => transport!,
          templates: () => templates!,
          from,
          messageIdDomain: (/@([^>\s]+)/.exec(from)?.[1] ?? 'faultline.local').replace(/[^A-Za-z0-9.-]/g, ''),
          timeoutMs,
        }),
      );
    },
    async stop() {
      if (ownsTransport) transport?.close();
    },
  });
}

export default alertEmail;
