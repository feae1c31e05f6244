import { alertChannelContract } from '@faultline/core/testing';
import nodemailer from 'nodemailer';
import { emailChannel, loadTemplates } from '../src/index.js';
import { startSmtpReceiver, transportTo } from './smtp-receiver.js';

alertChannelContract(async () => {
  const receiver = await startSmtpReceiver();
  const transport = nodemailer.createTransport(transportTo(receiver.port));
  const templates = await loadTemplates();
  return {
    channel: emailChannel({ transport: () => transport, templates: () => templates, from: 'Faultline <alerts@example.test>', messageIdDomain: 'example.test', timeoutMs: 5000 }),
    config: { to: ['ops@example.test'] },
    failingConfig: { to: ['nobody@refused.test'] },
    invalidConfig: { config: { to: ['not an address'] }, path: 'config.to[0]' },
    async received() {
      return receiver.mails.map((m) => ({ messageId: (m.headers.get('x-faultline-alert-id') as string) ?? null, text: `${m.subject}\n${m.text}` }));
    },
    async close() {
      transport.close();
      await receiver.close();
    },
  };
}, 'email (SMTP on loopback)');
