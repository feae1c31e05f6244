import { expect } from 'chai';
import * as Faultline from '../src/node/index.js';
import { recordingTransport } from './helpers/capture.js';

describe('node: stack trace depth', () => {
  const before = Error.stackTraceLimit;
  afterEach(async () => {
    await Faultline.close();
    Error.stackTraceLimit = before;
  });

  it('raises Error.stackTraceLimit from Node’s 10, so deep errors keep the frames that called them', () => {
    Error.stackTraceLimit = 10;
    const transport = recordingTransport();
    Faultline.init({ dsn: 'http://pk@127.0.0.1:1/1', autoCapture: false, transport });
    const dig = (n: number): never => (n === 0 ? (() => { throw new Error('deep'); })() : dig(n - 1));
    try {
      dig(30);
    } catch (err) {
      Faultline.captureException(err);
    }
    const frames = transport.events[0].exception!.values[0].stacktrace!.frames;
    expect(frames.length).to.be.greaterThan(30);
    expect(Error.stackTraceLimit).to.equal(50);
  });
});
