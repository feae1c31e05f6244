import { expect } from 'chai';
import * as Faultline from '../src/node/index.js';
import { resetScope } from '../src/shared/api.js';
import { describeRequest } from '../src/node/express.js';
import { recordingTransport } from './helpers/capture.js';

const req = {
  method: 'POST',
  originalUrl: '/orders/7?coupon=X&token=secret',
  protocol: 'https',
  ip: '10.0.0.8',
  headers: {
    host: 'shop.example.com',
    'user-agent': 'curl/8',
    authorization: 'Bearer s3cret',
    cookie: 'sid=abc',
    'x-faultline-key': 'k',
    accept: ['a', 'b'],
  },
  user: { id: 'u1', username: 'ada', email: 'ada@example.com' },
};

describe('expressErrorHandler', () => {
  afterEach(async () => {
    await Faultline.close();
    resetScope();
  });

  it('describes the request without secrets, cookies, IP or email by default', () => {
    const { request, user } = describeRequest(req, false);
    expect(request).to.deep.equal({
      method: 'POST',
      url: 'https://shop.example.com/orders/7',
      query_string: 'coupon=X&token=secret',
      headers: { host: 'shop.example.com', 'user-agent': 'curl/8', accept: 'a, b' },
    });
    expect(user).to.deep.equal({ id: 'u1', username: 'ada' });
  });

  it('adds cookies, IP and email with sendDefaultPii, never the authorization header', () => {
    const { request, user } = describeRequest(req, true);
    expect(request.headers).to.include({ cookie: 'sid=abc' });
    expect(request.headers).not.to.have.property('authorization');
    expect(user).to.deep.equal({ id: 'u1', username: 'ada', email: 'ada@example.com', ip_address: '10.0.0.8' });
  });

  it('reports the error with the request, then calls next(err)', () => {
    const transport = recordingTransport();
    Faultline.init({ dsn: 'http://pk@127.0.0.1:1/1', autoCapture: false, transport });
    const err = new Error('handler failed');
    let passed: unknown;
    Faultline.expressErrorHandler()(err, req, {}, (e) => (passed = e));
    expect(passed).to.equal(err);
    const e = transport.events[0];
    expect(e.exception!.values[0]).to.include({ value: 'handler failed' });
    expect(e.exception!.values[0].mechanism).to.deep.equal({ type: 'express', handled: false });
    expect(e.request!.url).to.equal('https://shop.example.com/orders/7');
    // the query string is scrubbed like any other URL part
    expect(e.request!.query_string).to.equal('coupon=X&token=[Filtered]');
    expect(e.user).to.deep.equal({ id: 'u1', username: 'ada' });
  });

  it('calls next(err) even before init', () => {
    let passed: unknown;
    Faultline.expressErrorHandler()('x', req, {}, (e) => (passed = e));
    expect(passed).to.equal('x');
  });
});
