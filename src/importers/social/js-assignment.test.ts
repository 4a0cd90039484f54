import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { sourceFromBytes } from '../source/import-source.js';
import { jsonAfterAssignment, ytdAssignmentOf } from './js-assignment.js';

async function payloadOf(text: string): Promise<string> {
  const source = jsonAfterAssignment(await sourceFromBytes('tweets.js', text));
  let out = '';
  for await (const chunk of source.text()) out += chunk;
  return out;
}

describe('ytdAssignmentOf', () => {
  it('names the archive file an assignment introduces', () => {
    expect(ytdAssignmentOf('window.YTD.tweets.part0 = [ {')).toEqual({ name: 'tweets', part: 0 });
    expect(ytdAssignmentOf('\nwindow.YTD.direct_messages.part12 =[')).toEqual({ name: 'direct_messages', part: 12 });
  });

  it('says nothing of other JavaScript, or of an assignment not followed by JSON', () => {
    expect(ytdAssignmentOf('window.foo = [1]')).toBeUndefined();
    expect(ytdAssignmentOf('window.YTD.tweets.part0 = function () {}')).toBeUndefined();
    expect(ytdAssignmentOf('[{"tweet": {}}]')).toBeUndefined();
  });
});

describe('jsonAfterAssignment', () => {
  it('gives the JSON after the assignment, keeping line breaks and dropping a final semicolon', async () => {
    expect(await payloadOf('window.YTD.tweets.part0 = [\n  1\n];\n')).toBe('[\n  1\n]');
    expect(await payloadOf('window.YTD.tweets.part0 =\n[1]')).toBe('\n[1]');
  });

  it('streams: an assignment or a semicolon split across chunks is handled', async () => {
    const big = 'x'.repeat(16 * 1024 - 'window.YTD.tweets.part0 = ["'.length - 3);
    expect(await payloadOf(`window.YTD.tweets.part0 = ["${big}"];  \n`)).toBe(`["${big}"]`);
    // The ';' inside the string is the last character of the first 16 KiB chunk.
    const semicolonAtCut = `window.YTD.tweets.part0 = ["${'y'.repeat(16 * 1024 - 30)}";"]`;
    expect(await payloadOf(semicolonAtCut)).toBe(semicolonAtCut.slice('window.YTD.tweets.part0 = '.length));
  });

  it.each([
    ['JavaScript that is not the assignment', 'var x = [1];'],
    ['an assignment not followed by JSON', 'window.YTD.tweets.part0 = function () { return 1 }'],
    ['an empty file', ''],
    ['a file that is only the assignment', 'window.YTD.tweets.part0 = '],
    ['a long start without assignment', 'a'.repeat(5000)],
  ])('refuses %s', async (_, text) => {
    const e = await payloadOf(text).catch((err: unknown) => err);
    expect(isFoyerError(e) && e.code).toBe('import_invalid');
    expect((e as Error).message).toMatch(/^tweets\.js, line 1: the file does not start with the archive's/);
  });
});
