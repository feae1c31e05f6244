import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { progressBar } from '../../src/cli/progress-bar.js';

/** A stream that says it is a terminal and records what is written to it. */
function fakeTerminal(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string };
  let written = '';
  stream.write = ((chunk: string | Uint8Array) => {
    written += chunk.toString();
    return true;
  }) as typeof stream.write;
  Object.assign(stream, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, text: () => written });
  return stream;
}

describe('CLI progress bar', () => {
  it('draws on a terminal: label, count and the step', () => {
    const terminal = fakeTerminal(true);
    const bar = progressBar('retention', terminal);
    bar.update(1, 4, 'drop events_p20260101');
    bar.update(4, 4, 'done');
    bar.stop();
    expect(terminal.text()).to.contain('retention [').and.contain('4/4 done');
  });

  it('writes nothing when the stream is not a terminal (pipes, CI)', () => {
    const pipe = fakeTerminal(false);
    const bar = progressBar('retention', pipe);
    bar.update(1, 4, 'step');
    bar.stop();
    expect(pipe.text()).to.equal('');
  });
});
