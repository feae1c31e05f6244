import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { FaultlineError } from '../../src/errors.js';
import { createEventValidator } from '../../src/event/validate-event.js';

const validate = createEventValidator(DEFAULT_LIMITS);

function rejection(value: unknown, prefix?: string): FaultlineError {
  try {
    validate(value, prefix);
  } catch (err) {
    expect(err).to.be.instanceOf(FaultlineError);
    return err as FaultlineError;
  }
  throw new Error('expected a rejection');
}

describe('event validation', () => {
  it('accepts a full Sentry-shaped event and keeps unknown fields', () => {
    const event = {
      event_id: '0123456789abcdef0123456789abcdef',
      timestamp: 1763700000.5,
      level: 'warning',
      message: { formatted: 'hello' },
      exception: { values: [{ type: 'E', value: 'v', stacktrace: { frames: [{ filename: 'a.js', lineno: 1, colno: 2 }] } }] },
      breadcrumbs: { values: [{ category: 'http', data: { url: '/x' } }] },
      tags: { a: 'b', n: 1 },
      some_future_field: { x: 1 },
    };
    expect(validate(event)).to.have.property('some_future_field');
  });

  it('names the path of a wrongly typed field', () => {
    const frames = [{}, {}, {}, { lineno: 'seven' }];
    const err = rejection({ exception: { values: [{ stacktrace: { frames } }] } });
    expect(err.code).to.equal('FAULTLINE_ERR_INGEST_SCHEMA');
    expect(err.path).to.equal('exception.values[0].stacktrace.frames[3].lineno');
    expect(err.status).to.equal(400);
  });

  it('prefixes paths for batch members', () => {
    expect(rejection({ level: 'loud' }, 'events[7]').path).to.equal('events[7].level');
  });

  it('rejects non-objects', () => {
    for (const value of [null, 3, 'x', [1]]) expect(rejection(value).code).to.equal('FAULTLINE_ERR_INGEST_SCHEMA');
  });

  it('rejects too many frames', () => {
    const frames = Array.from({ length: 10_000 }, () => ({ function: 'f' }));
    expect(rejection({ exception: { values: [{ stacktrace: { frames } }] } }).path).to.equal('exception.values[0].stacktrace.frames');
  });

  it('rejects deep nesting with the path where it got too deep', () => {
    let deep: any = {};
    const root = { extra: deep };
    for (let i = 0; i < 1000; i++) deep = deep.x = {};
    const err = rejection(root);
    expect(err.code).to.equal('FAULTLINE_ERR_INGEST_TOO_DEEP');
    expect(err.path).to.match(/^extra(\.x)+$/);
  });

  it('rejects over-long known strings', () => {
    expect(rejection({ message: 'x'.repeat(1_000_000) }).path).to.equal('message');
  });

  it('bounds string lengths in UTF-16 units, as JavaScript counts them', () => {
    const release = (units: number) => ({ release: '😀'.repeat(units / 2) }); // 2 units a character
    expect(validate(release(250))).to.have.property('release');
    expect(rejection(release(252)).path).to.equal('release');
  });

  it('rejects an event_id that is not 32 hex digits', () => {
    expect(rejection({ event_id: 'not-an-id' }).path).to.equal('event_id');
  });
});
