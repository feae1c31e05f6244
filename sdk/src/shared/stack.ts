import type { Frame } from './types.js';

/** Most frames kept per exception: the ones nearest the throw. */
const MAX_FRAMES = 50;

// V8 (Chrome, Edge, Node): "    at fn (url:1:2)", "    at url:1:2", "    at Array.map (<anonymous>)"
const V8 = /^\s*at (?:(.+?) \()?(.+?)(?::(\d+):(\d+))?\)?$/;
// SpiderMonkey (Firefox) and JavaScriptCore (Safari): "fn@url:1:2", "@url:1:2", "global code@url:1:2", "url:1:2"
const GECKO = /^\s*(?:(.*?)@)?(.*?)(?::(\d+))?(?::(\d+))?$/;
// "eval at fn (url:1:2), <anonymous>:3:4" (V8) or "url line 2 > eval" (Firefox): point at the outer script
const EVAL_V8 = /\((\S+?):(\d+):(\d+)\)/;
const EVAL_GECKO = / line (\d+) > (?:eval|Function)/;
// Not the app's code: dependencies, runtime internals, the SDK itself
const NOT_IN_APP = /\/node_modules\/|^node:|^internal\/|@faultline\/sdk\/|\/sdk\/(?:src|dist)\/(?:shared|node|browser|transports)\/|\/faultline\.browser\b/;

function frame(fn: string | undefined, loc: string, line?: string, col?: string): Frame {
  const f: Frame = {};
  if (fn && fn !== '<anonymous>' && fn !== 'global code') f.function = fn;
  if (loc) {
    f.abs_path = loc;
    f.filename = loc.replace(/^file:\/\//, '');
  }
  if (line) f.lineno = +line;
  if (col) f.colno = +col;
  // a frame without a line is native ("<anonymous>", "index 0", "[native code]")
  f.in_app = !!line && !NOT_IN_APP.test(loc);
  return f;
}

function parseV8(line: string): Frame | undefined {
  const m = V8.exec(line);
  if (!m) return undefined;
  let [, fn, loc, lineno, colno] = m;
  if (/^eval at /.test(loc)) {
    const e = EVAL_V8.exec(loc);
    if (e) [, loc, lineno, colno] = e;
  }
  if (fn) fn = fn.replace(/^async /, '');
  return frame(fn, loc, lineno, colno);
}

function parseGecko(line: string): Frame | undefined {
  if (!/@|:\d+$|\[native code\]/.test(line)) return undefined;
  const m = GECKO.exec(line);
  if (!m) return undefined;
  let [, fn, loc, lineno, colno]: Array<string | undefined> = m;
  loc = loc || '';
  const e = EVAL_GECKO.exec(loc);
  if (e) {
    loc = loc.slice(0, e.index);
    lineno = e[1];
    colno = undefined;
  }
  // "promise callback*fn" (async stacks in Firefox): keep the function
  if (fn) fn = fn.replace(/^.*\*/, '') || undefined;
  return frame(fn, loc, lineno, colno);
}

/** Frames of a stack string in Sentry's order: oldest call first, the throwing frame last. */
export function parseStack(stack: unknown): Frame[] {
  const frames: Frame[] = [];
  if (typeof stack !== 'string') return frames;
  // V8 puts the message first, which may hold anything; its frames all start with "at"
  const v8 = /^\s*at /m.test(stack);
  for (const line of stack.split('\n')) {
    if (frames.length >= MAX_FRAMES) break;
    const f = v8 ? (/^\s*at /.test(line) ? parseV8(line) : undefined) : parseGecko(line);
    if (f) frames.push(f);
  }
  return frames.reverse();
}
