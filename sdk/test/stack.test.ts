import { expect } from 'chai';
import { parseStack } from '../src/shared/stack.js';
import { exceptionValues } from '../src/shared/exception.js';
import * as stacks from './fixtures/stacks.js';

const MAIN = 'https://app.example.com/static/js/main.4f2a.js';

describe('stack parsing', () => {
  it('parses V8 (Chrome) frames, oldest first and the throwing frame last', () => {
    const frames = parseStack(stacks.chrome);
    expect(frames).to.have.length(7);
    expect(frames[6]).to.deep.equal({ function: 'renderUser', abs_path: MAIN, filename: MAIN, lineno: 2, colno: 10456, in_app: true });
    expect(frames[5]).to.include({ function: 'HTMLButtonElement.onClick', lineno: 2, colno: 11873 });
    expect(frames[4]).to.include({ abs_path: 'https://app.example.com/static/js/vendor.js', lineno: 1, colno: 300, in_app: true });
    expect(frames[4]).not.to.have.property('function');
    expect(frames[3]).to.deep.equal({ function: 'Array.forEach', abs_path: '<anonymous>', filename: '<anonymous>', in_app: false });
    expect(frames[2]).to.include({ function: 'loadAll', lineno: 40, colno: 5 });
    // eval frames point at the script that called eval
    expect(frames[1]).to.include({ function: 'eval', abs_path: 'https://app.example.com/app.js', lineno: 12, colno: 7 });
    expect(frames[0]).to.include({ function: 'new Widget', in_app: false });
  });

  it('parses SpiderMonkey (Firefox) frames', () => {
    const frames = parseStack(stacks.firefox);
    expect(frames).to.have.length(6);
    expect(frames[5]).to.deep.equal({ function: 'renderUser', abs_path: MAIN, filename: MAIN, lineno: 2, colno: 10456, in_app: true });
    expect(frames[3]).to.include({ abs_path: 'https://app.example.com/static/js/vendor.js', lineno: 1, colno: 300 });
    expect(frames[3]).not.to.have.property('function');
    expect(frames[2]).to.include({ function: 'loadAll/<', lineno: 40 });
    expect(frames[1]).to.include({ function: 'loadAll', lineno: 38, colno: 3 });
    expect(frames[0]).to.include({ function: 'compile', abs_path: 'https://app.example.com/app.js', lineno: 12 });
    expect(frames[0]).not.to.have.property('colno');
  });

  it('parses JavaScriptCore (Safari) frames', () => {
    const frames = parseStack(stacks.safari);
    expect(frames).to.have.length(5);
    expect(frames[4]).to.include({ function: 'renderUser', lineno: 2, colno: 10456, in_app: true });
    expect(frames[2]).to.deep.equal({ function: 'forEach', abs_path: '[native code]', filename: '[native code]', in_app: false });
    expect(frames[1]).to.include({ abs_path: 'https://app.example.com/static/js/vendor.js', lineno: 1, colno: 300 });
    expect(frames[1]).not.to.have.property('function');
    expect(frames[0]).to.include({ abs_path: 'https://app.example.com/index.html', lineno: 20, colno: 15 });
    expect(frames[0]).not.to.have.property('function');
  });

  it('parses Node frames and marks node_modules, internals and the SDK as not in-app', () => {
    const frames = parseStack(stacks.node).reverse(); // newest first, to read along the fixture
    expect(frames).to.have.length(8);
    expect(frames[0]).to.include({ function: 'TCPConnectWrap.afterConnect [as oncomplete]', abs_path: 'node:net', lineno: 1607, in_app: false });
    expect(frames[1]).to.include({ function: 'Pool.connect', in_app: false });
    expect(frames[2]).to.include({ function: 'getUser', filename: '/srv/app/src/users.js', lineno: 10, colno: 3, in_app: true });
    expect(frames[3]).to.include({ function: 'Promise.all', in_app: false });
    expect(frames[4]).to.include({ function: 'Object.<anonymous>', filename: '/srv/app/src/index.js', in_app: true });
    expect(frames[5]).to.include({ in_app: false });
    expect(frames[6]).to.include({ abs_path: 'file:///srv/app/src/main.mjs', filename: '/srv/app/src/main.mjs', in_app: true });
    expect(frames[7]).to.include({ function: 'captureError', in_app: false });
  });

  it('does not take a V8 message for a frame', () => {
    const frames = parseStack(stacks.chromeTrickyMessage);
    expect(frames).to.have.length(1);
    expect(frames[0]).to.include({ function: 'send', lineno: 3 });
  });

  it('parses a stack this very runtime makes', () => {
    function thrower(): Error {
      return new Error('here');
    }
    const frames = parseStack(thrower().stack);
    const last = frames[frames.length - 1];
    expect(last.function).to.equal('thrower');
    expect(last.filename).to.match(/stack\.test\.ts$/);
    expect(last.in_app).to.equal(true);
  });

  it('survives garbage', () => {
    expect(parseStack(undefined)).to.deep.equal([]);
    expect(parseStack('')).to.deep.equal([]);
    expect(parseStack('just words\nmore words')).to.deep.equal([]);
  });

  it('keeps at most 50 frames, the ones nearest the throw', () => {
    const lines = ['Error: deep'];
    for (let i = 0; i < 80; i++) lines.push(`    at f${i} (/app/deep.js:${i + 1}:1)`);
    const frames = parseStack(lines.join('\n'));
    expect(frames).to.have.length(50);
    expect(frames[49].function).to.equal('f0');
  });
});

describe('exception values', () => {
  it('turns a cause chain into several values, the captured error last with the mechanism', () => {
    const root = new TypeError('socket closed');
    const mid = new Error('query failed', { cause: root });
    const top = new Error('could not load user', { cause: mid });
    const values = exceptionValues(top, { type: 'generic', handled: true });
    expect(values.map((v) => v.value)).to.deep.equal(['socket closed', 'query failed', 'could not load user']);
    expect(values[0].type).to.equal('TypeError');
    expect(values[2].mechanism).to.deep.equal({ type: 'generic', handled: true });
    expect(values[0]).not.to.have.property('mechanism');
    expect(values[2].stacktrace!.frames.length).to.be.greaterThan(0);
  });

  it('stops on cycles and on long chains', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(exceptionValues(b, { type: 'generic', handled: true })).to.have.length(2);
    let e = new Error('0');
    for (let i = 1; i < 20; i++) e = new Error(String(i), { cause: e });
    expect(exceptionValues(e, { type: 'generic', handled: true })).to.have.length(5);
  });

  it('describes values that are not errors', () => {
    expect(exceptionValues('boom', { type: 'generic', handled: true })[0]).to.include({ type: 'Error', value: 'boom' });
    expect(exceptionValues({ code: 1, reason: 'x' }, { type: 'generic', handled: true })[0].value).to.match(/code, reason/);
    expect(exceptionValues(null, { type: 'generic', handled: true })[0].value).to.equal('null');
  });
});
