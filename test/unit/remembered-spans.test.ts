import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/upstream/escape-reading.js';
import { REMEMBERED_CHARS, RememberedSpans, ownCopy, seenKey } from '../../src/upstream/remembered-spans.js';

/** A text of `length` characters, `mark` at its ends and `middle` in its middle: texts alike but for their middles share a seenKey. */
const text = (length: number, mark = 'a', middle = 'm'): string => {
  const edge = mark.repeat(96);
  return `${edge}${middle.repeat(length - 2 * 96)}${edge}`;
};

/** A search counting its calls, finding `[3, 9]` in every text: a secret's piece the scrub must redact. */
function countingSearch(): { search: (text: string) => Span[]; calls: () => number } {
  let calls = 0;
  return {
    search: (): Span[] => (calls++, [[3, 9]]),
    calls: () => calls,
  };
}

/** The texts a RememberedSpans holds, least recently asked first, and its own count of their characters. */
function held(memory: RememberedSpans): { texts: string[]; counted: number } {
  const inside = memory as unknown as { answered: Map<string, unknown>; answeredChars: number };
  return { texts: [...inside.answered.keys()], counted: inside.answeredChars };
}

describe('RememberedSpans: a text asked again gets the spans its search found', () => {
  it('searches a text twice, then answers from memory the spans found, each answer a copy of its own', () => {
    const memory = new RememberedSpans();
    const { search, calls } = countingSearch();
    const answer = text(2_000);
    for (let read = 0; read < 4; read++) {
      const spans = memory.find(answer, search);
      expect(spans).toEqual([[3, 9]]);
      // A caller that shifts the spans it was given (scrubInTurns moves them by a piece's offset) must not move the remembered ones.
      (spans[0] as Span)[0] = 1_000;
      spans.push([0, 1]);
    }
    expect(calls()).toBe(2);
    expect(held(memory)).toEqual({ texts: [answer], counted: answer.length });
  });

  it('keeps a copy of the spans the search returned, not the array the search may change after', () => {
    const memory = new RememberedSpans();
    const found: Span[] = [[3, 9]];
    const answer = text(2_000);
    memory.find(answer, () => found);
    memory.find(answer, () => found);
    (found[0] as Span)[1] = 4;
    found.length = 0;
    expect(memory.find(answer, () => [])).toEqual([[3, 9]]);
  });

  it(`remembers texts of ${REMEMBERED_CHARS.least} to ${REMEMBERED_CHARS.most} characters, and searches shorter and longer ones every time`, () => {
    for (const [length, searches] of [
      [REMEMBERED_CHARS.least - 1, 4],
      [REMEMBERED_CHARS.least, 2],
      [REMEMBERED_CHARS.most, 2],
      [REMEMBERED_CHARS.most + 1, 4],
    ] as const) {
      const memory = new RememberedSpans();
      const { search, calls } = countingSearch();
      const answer = text(length);
      for (let read = 0; read < 4; read++) expect(memory.find(answer, search)).toEqual([[3, 9]]);
      expect(calls(), `${length} characters`).toBe(searches);
    }
  });

  it('remembers a text asked again after 1,023 others asked once, not after 1,024', () => {
    for (const [others, searches] of [
      [1_023, 2],
      [1_024, 3],
    ] as const) {
      const memory = new RememberedSpans();
      const { search, calls } = countingSearch();
      const answer = text(600, 'z');
      memory.find(answer, search);
      for (let other = 0; other < others; other++) memory.find(`${other}`.padEnd(600, '-'), () => []);
      memory.find(answer, search);
      memory.find(answer, search);
      expect(calls(), `after ${others} others`).toBe(searches);
    }
  });

  it('takes a text as seen before when one of its length and its 96 characters at either end was (its middle not read)', () => {
    const memory = new RememberedSpans();
    const { search, calls } = countingSearch();
    memory.find(text(2_000, 'a', 'm'), search);
    const alike = text(2_000, 'a', 'n');
    memory.find(alike, search);
    memory.find(alike, search);
    expect(calls()).toBe(2);
  });

  it('takes a text as new when its length, or any of its 96 characters at either end, differs', () => {
    const first = text(2_000);
    const others = [
      text(2_001),
      `b${first.slice(1)}`,
      `${first.slice(0, 95)}b${first.slice(96)}`,
      `${first.slice(0, -96)}b${first.slice(-95)}`,
      `${first.slice(0, -1)}b`,
    ];
    for (const other of others) {
      const memory = new RememberedSpans();
      const { search, calls } = countingSearch();
      memory.find(first, search);
      memory.find(other, search);
      memory.find(other, search);
      expect(calls(), `differing at ${[...other].findIndex((char, at) => char !== first[at])}`).toBe(3);
    }
  });

  it(`holds at most ${REMEMBERED_CHARS.all} characters, forgetting the least recently asked first`, () => {
    const memory = new RememberedSpans();
    const { search, calls } = countingSearch();
    const length = 100_000;
    const texts = Array.from({ length: 10 }, (_, index) => text(length, String.fromCharCode(0x41 + index)));
    for (const each of texts) {
      memory.find(each, search);
      memory.find(each, search);
    }
    expect(held(memory)).toEqual({ texts, counted: 10 * length });
    // Asked again, the first text is the most recently asked: the next one in pushes out the second.
    memory.find(texts[0] as string, search);
    const eleventh = text(length, 'K');
    memory.find(eleventh, search);
    memory.find(eleventh, search);
    expect(held(memory)).toEqual({ texts: [...texts.slice(2), texts[0], eleventh], counted: 10 * length });
    const before = calls();
    memory.find(texts[0] as string, search);
    memory.find(texts[1] as string, search);
    expect(calls()).toBe(before + 1);
  });

  it('forgets as many of the least recently asked as a long text needs', () => {
    const memory = new RememberedSpans();
    const { search } = countingSearch();
    const small = Array.from({ length: 10 }, (_, index) => text(100_000, String.fromCharCode(0x41 + index)));
    for (const each of small) {
      memory.find(each, search);
      memory.find(each, search);
    }
    const long = text(250_000, 'Z');
    memory.find(long, search);
    memory.find(long, search);
    expect(held(memory)).toEqual({ texts: [...small.slice(3), long], counted: 950_000 });
  });
});

describe('seenKey and ownCopy', () => {
  it('gives texts of other lengths or ends other keys', () => {
    const keys = new Set([seenKey(text(400)), seenKey(text(401)), seenKey(text(400, 'b')), seenKey(`x${text(400).slice(1)}`), seenKey(`${text(400).slice(0, -1)}x`)]);
    expect(keys.size).toBe(5);
    expect(seenKey(text(400, 'a', 'm'))).toBe(seenKey(text(400, 'a', 'n')));
  });

  it('copies a text whole', () => {
    const long = `${'q'.repeat(10_000)}tail`;
    expect(ownCopy(long.slice(5_000))).toBe(long.slice(5_000));
    expect(ownCopy('')).toBe('');
  });
});
