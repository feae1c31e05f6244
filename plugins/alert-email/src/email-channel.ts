import { FaultlineError, testAlertMessage, type AlertChannel, type AlertMessage } from '@faultline/core';
import type { Transporter } from 'nodemailer';
import { emailView } from './email-view.js';
import type { EmailTemplates } from './templates.js';

export interface EmailConfig {
  to: string[];
  cc?: string[];
  /** Put before every subject: `[shop]`. */
  subjectPrefix?: string;
}

const address = { type: 'string', format: 'email', maxLength: 320 };

/** A header-safe id: the message id's own characters, for `Message-ID`. */
function messageIdOf(message: AlertMessage, domain: string): string {
  return `<faultline.${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`;
}

/** One line, no control characters: a subject is a header. */
function subjectOf(message: AlertMessage, prefix: string | undefined): string {
  const subject = `${prefix ? `${prefix} ` : ''}${message.title}`.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return subject.length > 200 ? `${subject.slice(0, 199)}…` : subject;
}

export interface EmailChannelDeps {
  transport(): Transporter;
  templates(): EmailTemplates;
  from: string;
  /** The domain of generated Message-IDs. */
  messageIdDomain: string;
  timeoutMs: number;
}

export function emailChannel(deps: EmailChannelDeps): AlertChannel<EmailConfig> {
  async function deliver(message: AlertMessage, config: EmailConfig) {
    const view = emailView(message);
    const templates = deps.templates();
    const sending = deps.transport().sendMail({
      from: deps.from,
      to: config.to,
      cc: config.cc,
      subject: subjectOf(message, config.subjectPrefix),
      text: templates.text(view),
      html: templates.html(view),
      messageId: messageIdOf(message, deps.messageIdDomain),
      headers: { 'X-Faultline-Alert-Id': message.id, 'X-Faultline-Reason': message.reason },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `SMTP did not accept the message within ${deps.timeoutMs} ms`)), deps.timeoutMs);
    });
    try {
      const info = await Promise.race([sending, timeout]);
      if (info.rejected?.length && !info.accepted?.length) throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'The SMTP server refused every recipient');
      return { receiverId: info.messageId };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    type: 'email',
    label: 'Email (SMTP)',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['to'],
      properties: {
        to: { type: 'array', minItems: 1, maxItems: 50, items: address },
        cc: { type: 'array', maxItems: 50, items: address },
        subjectPrefix: { type: 'string', maxLength: 50 },
      },
    },
    send: deliver,
    test(config) {
      return deliver(testAlertMessage('This is a test message: alerts from this rule reach this address.'), config);
    },
  };
}
