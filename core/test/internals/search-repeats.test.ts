import { expect } from 'chai';
import { SearchRepeats } from '../../src/ingest/search-repeats.js';
import type { GroupedEvent } from '../../src/providers/storage.js';

const event = (fingerprint: string, text: string, functions: string[], tags: Record<string, string> = {}, projectId = 1) =>
  ({ projectId, fingerprint, search: { text, tags, filenames: functions.map((f) => `${f}.js`), functions } }) as unknown as GroupedEvent;

describe('SearchRepeats: an issue\'s repeated text and frames are carried once a minute', () => {
  it('empties the text and frames an earlier event of the same project and fingerprint carries, never the tags', () => {
    const repeats = new SearchRepeats();
    const first = event('fp', 'TypeError boom', ['run', 'main'], { a: '1' });
    const same = event('fp', 'TypeError boom', ['run', 'main'], { a: '2' });
    const otherText = event('fp', 'TypeError bang', ['run', 'main']);
    const otherFrames = event('fp', 'TypeError boom', ['run', 'other']);
    const otherIssue = event('fp2', 'TypeError boom', ['run', 'main']);
    const otherProject = event('fp', 'TypeError boom', ['run', 'main'], {}, 2);
    for (const e of [first, same, otherText, otherFrames, otherIssue, otherProject]) repeats.trim(e);
    expect(first.search).to.deep.equal({ text: 'TypeError boom', tags: { a: '1' }, filenames: ['run.js', 'main.js'], functions: ['run', 'main'] });
    expect(same.search).to.deep.equal({ text: '', tags: { a: '2' }, filenames: [], functions: [] });
    expect([otherText.search!.text, otherText.search!.functions]).to.deep.equal(['TypeError bang', []]);
    expect([otherFrames.search!.text, otherFrames.search!.functions]).to.deep.equal(['', ['run', 'other']]);
    expect(otherIssue.search!.functions).to.deep.equal(['run', 'main']);
    expect(otherProject.search!.functions).to.deep.equal(['run', 'main']);
  });

  it('keeps them across requests until they are a minute old, then lets the next event carry them again', () => {
    let now = 1_000_000;
    const repeats = new SearchRepeats({ now: () => now });
    const first = event('fp', 'TypeError boom', ['run', 'main']);
    const nextRequest = event('fp', 'TypeError boom', ['run', 'main']);
    repeats.trim(first);
    now += 59_999;
    repeats.trim(nextRequest);
    expect(nextRequest.search).to.deep.include({ text: '', functions: [] });
    now += 1;
    const later = event('fp', 'TypeError boom', ['run', 'main']);
    repeats.trim(later);
    expect(later.search).to.deep.include({ text: 'TypeError boom', functions: ['run', 'main'] });
    const afterThat = event('fp', 'TypeError boom', ['run', 'main']);
    repeats.trim(afterThat);
    expect(afterThat.search, 'the minute starts again with the event that carried them').to.deep.include({ text: '', functions: [] });
    expect(first.search!.functions, 'what it keeps is its own, not the event\'s').to.deep.equal(['run', 'main']);
  });

  it('holds at most `max` issues, forgetting the one carried longest ago', () => {
    const repeats = new SearchRepeats({ max: 2 });
    for (const fp of ['a', 'b', 'c']) repeats.trim(event(fp, 'boom', ['main']));
    const again = ['a', 'c'].map((fp) => event(fp, 'boom', ['main']));
    for (const e of again) repeats.trim(e);
    expect(again.map((e) => e.search!.text)).to.deep.equal(['boom', '']);
  });
});
