import { describe, expect, it } from 'vitest';
import { REMEMBERED_SCRUB_CHARS, RememberedScrubs } from '../../src/upstream/remembered-scrubs.js';
import { REDACTED } from '../../src/upstream/secrets.js';

const KEY = 'Dnb7Kq8Rw2Zx4LmT';

/** A text of `length` characters, `mark` at its 96 characters at either end, KEY after the first 96 where `withKey`. */
const text = (length: number, mark = 'a', withKey = false): string => {
  const edge = mark.repeat(96);
  const middle = withKey ? `${KEY}${'m'.repeat(length - 2 * 96 - KEY.length)}` : 'm'.repeat(length - 2 * 96);
  return `${edge}${middle}${edge}`;
};

/** A scrub counting its calls, redacting KEY. */
function countingScrub(): { scrub: (text: string) => string; calls: () => number } {
  let calls = 0;
  return { scrub: (asked: string): string => (calls++, asked.replaceAll(KEY, REDACTED)), calls: () => calls };
}

/** The texts a RememberedScrubs holds, least recently asked first, and its own count of their characters. */
function held(memory: RememberedScrubs): { texts: string[]; counted: number } {
  const inside = memory as unknown as { scrubbed: Map<string, unknown>; heldChars: number };
  return { texts: [...inside.scrubbed.keys()], counted: inside.heldChars };
}

describe('RememberedScrubs: its bounds, and what it answers from memory', () => {
  it(`remembers texts of ${REMEMBERED_SCRUB_CHARS.least} to ${REMEMBERED_SCRUB_CHARS.most} characters only, each answer the scrub`, () => {
    for (const [length, scrubs] of [
      [1_000, 2],
      [REMEMBERED_SCRUB_CHARS.most, 2],
      [REMEMBERED_SCRUB_CHARS.most + 1, 4],
    ] as const) {
      const memory = new RememberedScrubs();
      const { scrub, calls } = countingScrub();
      const answer = text(length, 'a', true);
      for (let read = 0; read < 4; read++) {
        const out = memory.scrub(answer, scrub);
        expect(out).not.toContain(KEY);
        expect(out).toBe(answer.replace(KEY, REDACTED));
      }
      expect(calls(), `${length} characters`).toBe(scrubs);
    }
  });

  it(`scrubs a ${REMEMBERED_SCRUB_CHARS.least - 1}-character text every time, and remembers one of ${REMEMBERED_SCRUB_CHARS.least}`, () => {
    for (const [length, scrubs] of [
      [REMEMBERED_SCRUB_CHARS.least - 1, 4],
      [REMEMBERED_SCRUB_CHARS.least, 2],
    ] as const) {
      const memory = new RememberedScrubs();
      const { scrub, calls } = countingScrub();
      const answer = `${KEY} `.padEnd(length, 'x');
      for (let read = 0; read < 4; read++) expect(memory.scrub(answer, scrub)).toBe(answer.replace(KEY, REDACTED));
      expect(calls(), `${length} characters`).toBe(scrubs);
    }
  });

  it('remembers a text asked again after 1,023 others asked once, not after 1,024', () => {
    for (const [others, scrubs] of [
      [1_023, 2],
      [1_024, 3],
    ] as const) {
      const memory = new RememberedScrubs();
      const { scrub, calls } = countingScrub();
      const answer = text(600, 'z', true);
      memory.scrub(answer, scrub);
      for (let other = 0; other < others; other++) memory.scrub(`${other}`.padEnd(600, '-'), (asked) => asked);
      memory.scrub(answer, scrub);
      expect(memory.scrub(answer, scrub)).not.toContain(KEY);
      expect(calls(), `after ${others} others`).toBe(scrubs);
    }
  });

  it('counts a text and its scrub where a secret was redacted, the text once where none was', () => {
    const memory = new RememberedScrubs();
    const { scrub } = countingScrub();
    const clean = text(1_000, 'c');
    const holding = text(1_000, 'k', true);
    for (const answer of [clean, clean, holding, holding]) memory.scrub(answer, scrub);
    expect(held(memory)).toEqual({ texts: [clean, holding], counted: 1_000 + 1_000 + 1_000 - KEY.length + REDACTED.length });
    expect(memory.scrub(clean, scrub)).toBe(clean);
    expect(memory.scrub(holding, scrub)).toBe(holding.replace(KEY, REDACTED));
  });

  it(`holds at most ${REMEMBERED_SCRUB_CHARS.all} characters, forgetting the least recently asked first`, () => {
    const memory = new RememberedScrubs();
    const { scrub, calls } = countingScrub();
    const length = 100_000;
    const texts = Array.from({ length: 10 }, (_, index) => text(length, String.fromCharCode(0x41 + index)));
    for (const each of texts) {
      memory.scrub(each, scrub);
      memory.scrub(each, scrub);
    }
    expect(held(memory)).toEqual({ texts, counted: 10 * length });
    memory.scrub(texts[0] as string, scrub);
    const holding = text(length, 'K', true);
    memory.scrub(holding, scrub);
    expect(memory.scrub(holding, scrub)).toBe(holding.replace(KEY, REDACTED));
    // The text and its scrub, 200,000 characters less 6: the second and third texts forgotten for them.
    expect(held(memory)).toEqual({ texts: [...texts.slice(3), texts[0], holding], counted: 8 * length + 2 * length - KEY.length + REDACTED.length });
    const before = calls();
    expect(memory.scrub(holding, scrub)).toBe(holding.replace(KEY, REDACTED));
    memory.scrub(texts[0] as string, scrub);
    memory.scrub(texts[1] as string, scrub);
    expect(calls()).toBe(before + 1);
  });
});
