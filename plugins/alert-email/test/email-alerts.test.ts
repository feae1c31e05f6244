import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '@faultline/core/testing';
import { createToken } from '@faultline/core';
import { alertEmail } from '../src/index.js';
import { startSmtpReceiver, transportTo, type SmtpReceiver } from './smtp-receiver.js';

async function eventually<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function errorEvent(type: string, value: string) {
  return {
    level: 'error',
    environment: 'production',
    release: 'shop@2.1.0',
    exception: {
      values: [{
        type,
        value,
        stacktrace: {
          frames: [
            { filename: 'node_modules/express/lib/router.js', function: 'handle', lineno: 1, in_app: false },
            { filename: 'src/routes/checkout.js', function: 'checkout', lineno: 40, colno: 12, in_app: true },
            { filename: 'src/cart.js', function: 'cartTotal', lineno: 17, colno: 23, in_app: true },
          ],
        },
      }],
    },
  };
}

/** A real Faultline (in-memory storage) sending real mail to an SMTP server on loopback through an `email` rule. */
describe('alert-email end to end', function () {
  this.timeout(60_000);
  let smtpPort: number;
  let receiver: SmtpReceiver | null = null;
  let server: TestServer;
  let admin: string;

  before(async () => {
    receiver = await startSmtpReceiver();
    smtpPort = receiver.port;
    server = await startTestServer({
      plugins: [alertEmail({ transport: transportTo(smtpPort), from: 'Faultline <alerts@example.test>', timeoutMs: 3000 })],
      alerts: {
        issueUrl: 'https://app.example.com/admin/errors#/issues/{id}',
        rulesCacheMs: 0,
        delivery: { attempts: 100, backoff: { initialMs: 100, factor: 1 }, deadlineMs: 30_000 },
      },
    });
    admin = (await createToken(server.faultline.storage, { role: 'admin', projectIds: [server.project.id], label: 'alerts' })).token;
    const res = await fetch(`${server.url}/api/v1/projects/${server.project.id}/alert-rules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'New errors', trigger: { type: 'issue.created' }, actions: [{ channel: 'email', to: ['ops@example.test'], subjectPrefix: '[shop]' }] }),
    });
    expect(res.status).to.equal(201);
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
  });

  async function send(events: object[]) {
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).to.equal(202);
  }

  it('sends subject, HTML and text parts; <script> in the error arrives escaped in HTML and as text in text', async () => {
    receiver!.mails.length = 0;
    await send([errorEvent('CheckoutError', '<script>alert("x")</script> & more')]);
    const [mail] = await eventually(() => (receiver!.mails.length === 1 ? receiver!.mails : null), 'the mail');
    expect(mail.subject).to.equal('[shop] New issue in Test project: CheckoutError: <script>alert("x")</script> & more');
    const html = String(mail.html);
    expect(html).not.to.contain('<script');
    expect(html).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).to.contain('cartTotal').and.contain('src/cart.js:17:23');
    expect(html).not.to.contain('node_modules/express'); // not an in-app frame
    expect(html).to.match(/href="https:\/\/app\.example\.com\/admin\/errors#\/issues\/\d+"/);
    for (const field of ['production', 'shop@2.1.0', 'Events', 'First seen', 'Last seen', 'Test project']) expect(html).to.contain(field);
    expect(mail.text).to.contain('<script>alert("x")</script> & more');
    expect(mail.text).to.contain('at cartTotal src/cart.js:17:23');
    expect(mail.text).to.match(/View issue: https:\/\/app\.example\.com\/admin\/errors#\/issues\/\d+/);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').to.equal('ops@example.test');
  });

  it('SMTP down during a burst, then up: every alert arrives exactly once', async () => {
    await receiver!.close();
    receiver = null;
    const types = Array.from({ length: 8 }, (_, i) => `BurstError${i}`);
    await send(types.map((t) => errorEvent(t, 'down')));
    const [rule] = await server.faultline.storage.listAlertRules({ projectId: server.project.id });
    await eventually(async () => (await server.faultline.storage.listAlertDeliveries(rule.id, { status: 'pending' })).filter((d) => d.attempts >= 1).length >= 8, 'failed attempts while down');
    receiver = await startSmtpReceiver(smtpPort);
    await eventually(async () => (await server.faultline.storage.listAlertDeliveries(rule.id, { status: 'pending' })).length === 0, 'all delivered');
    await new Promise((r) => setTimeout(r, 500));
    const got = receiver.mails.map((m) => String(m.subject).replace(/^.*: (BurstError\d).*$/, '$1')).sort();
    expect(got).to.deep.equal(types);
    const ids = receiver.mails.map((m) => m.headers.get('x-faultline-alert-id'));
    expect(new Set(ids).size).to.equal(8);
  });
});

describe('alert-email templates by path', () => {
  it('renders the host\'s own templates, still escaping event text in HTML', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faultline-templates-'));
    try {
      await writeFile(path.join(dir, 'a.html.hbs'), '<p class="mine">{{title}} in {{project.name}}</p>');
      await writeFile(path.join(dir, 'a.text.hbs'), 'MINE {{title}}');
      const { loadTemplates, emailView } = await import('../src/index.js');
      const templates = await loadTemplates({ html: path.join(dir, 'a.html.hbs'), text: path.join(dir, 'a.text.hbs') });
      const { alertMessage } = await import('@faultline/core/testing');
      const view = emailView(alertMessage('t1', 'Boom <b>bold</b>'));
      expect(templates.html(view)).to.equal('<p class="mine">Boom &lt;b&gt;bold&lt;/b&gt; in Checkout</p>');
      expect(templates.text(view)).to.equal('MINE Boom <b>bold</b>');
      let caught: unknown;
      await loadTemplates({ html: path.join(dir, 'missing.hbs') }).catch((err) => (caught = err));
      expect(String(caught)).to.contain('missing.hbs');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
