import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { nextTurn } from '../../src/domain/turns.js';
import { parseJsonInTurns, type PieceLimits } from '../../src/upstream/json-in-turns.js';

/** Pieces of a few characters: every text below is cut at each of its commas somewhere. */
const tiny = (chars: number, containers = 1_000): PieceLimits => ({ chars, containers });

async function bothWays(text: string, limits: PieceLimits): Promise<{ ours: unknown; native: unknown }> {
  const settle = async (read: () => unknown) => {
    try {
      return { value: await read() };
    } catch (error) {
      return { error: error instanceof SyntaxError ? 'SyntaxError' : String(error) };
    }
  };
  return { ours: await settle(() => parseJsonInTurns(text, limits)), native: await settle(() => JSON.parse(text)) };
}

describe('parseJsonInTurns: JSON.parse in pieces, with turns between', () => {
  it('reads what JSON.parse reads: numbers, unicode, escapes, duplicate keys (last wins), __proto__ as a key', async () => {
    const text = '{"a":[1,-0,1e400,0.1,12345678901234567890,"\\u00e9\\ud83d\\ude00\\ud800\\"\\\\",{"__proto__":{"x":1},"k":1,"k":[2,3],"b":{"c":[[],{}]}}],"a2":"é😀","a":{"__proto__":[1],"z":null}, "é" : true }';
    for (let chars = 1; chars <= text.length; chars++) {
      for (const containers of [1, 2, 1_000]) {
        const { ours, native } = await bothWays(text, tiny(chars, containers));
        expect(ours).toEqual(native);
        const value = (ours as { value: Record<string, unknown> }).value;
        expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
        expect(Object.keys(value.a as object)).toEqual(['__proto__', 'z']);
        expect(Object.getOwnPropertyDescriptor(value.a, '__proto__')).toEqual({ value: [1], writable: true, enumerable: true, configurable: true });
        expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(text)));
      }
    }
  });

  it('refuses what JSON.parse refuses, wherever the pieces are cut', async () => {
    const malformed = ['[1,2,]', '[,1]', '[1,,2]', '[[1,2] [3]]', '[[1,2],[3,4]] x', 'x [[1,2],[3]]', '{"a":[1,2],}', '{"a":[1,2] "b":1}', '{[1,2],[3]}', '{"a" [1,2]}', '[[1,2},3]', '[1,2', '["a,b', '[[1,2]],', '[[1,2],[3,4]]]', '[1,2]\u00a0', '[1,\u00a0 2]', '{"a":1,"b":[1,2,01]}', '[[1,2],[3,4]] [5]', '[[1,2] 3,4]', '{"a":{"b":1,"c":2} x,"d":3}', '[[1,2],,[3,4]]', '{"a":[1,2], ,"b":[3,4]}', '{"a" [1,2]}', '{"a" "b":[1,2]}', '{"a":1 [2,3]}', '{"a":"b" {"c":1,"d":2}}'];
    for (const text of malformed) {
      for (let chars = 1; chars <= text.length + 1; chars++) {
        await expect(parseJsonInTurns(text, tiny(chars)), `${text} in pieces of ${chars}`).rejects.toBeInstanceOf(SyntaxError);
      }
    }
  });

  it('agrees with JSON.parse on any JSON, spaced out with all four blanks, and with a character changed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.constantFrom(',', ']', '}', '[', '{', '"', ':', ' ', '\\'), async (text, chars, containers, at, change) => {
          const { ours, native } = await bothWays(text, tiny(chars, containers));
          expect(ours).toEqual(native);
          const spaced = JSON.stringify(JSON.parse(text), null, '\t\r\n ');
          const both = await bothWays(spaced, tiny(chars, containers));
          expect(both.ours).toEqual(both.native);
          const changed = text.length === 0 ? text : text.slice(0, at % text.length) + change + text.slice((at % text.length) + 1);
          const changedBoth = await bothWays(changed, tiny(chars, containers));
          expect(changedBoth.ours).toEqual(changedBoth.native);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reads a list nested 100,000 deep (JSON.parse reads one) without a stack of its own, cut at its innermost comma', async () => {
    const levels = 100_000;
    const text = `${'['.repeat(levels)}1,2${']'.repeat(levels)}`;
    let value = await parseJsonInTurns(text, tiny(10));
    for (let level = 1; level < levels; level++) {
      expect(Array.isArray(value) && value.length === 1).toBe(true);
      value = (value as unknown[])[0];
    }
    expect(value).toEqual([1, 2]);
    await expect(parseJsonInTurns(`${text.slice(0, -1)}}`, tiny(10))).rejects.toBeInstanceOf(SyntaxError);
  });

  it('builds and closes a deep nesting a turn\'s worth of containers at a time, the innermost comma its only cut', async () => {
    // Before, the cut at the innermost comma built every level in one turn and the closes took the
    // next: 1.9 million levels (within MAX_JSON_CONTAINERS) held the loop 0.6-1.1 s, then 0.1 s.
    const levels = 10_000;
    const limits = { chars: 100_000_000, containers: 100 };
    const text = `${'['.repeat(levels)}1,2${']'.repeat(levels)}`;
    let turns = 0;
    let reading = true;
    const count = (): void => {
      if (!reading) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    let value = await parseJsonInTurns(text, limits);
    reading = false;
    // A turn for each 100 levels built, and one for each 100 closed.
    expect(turns).toBeGreaterThanOrEqual((2 * levels) / limits.containers);
    for (let level = 1; level < levels; level++) value = (value as unknown[])[0];
    expect(value).toEqual([1, 2]);
  });

  it('hands JSON.parse pieces of about `chars` characters and at most `containers` objects and arrays, not the whole text nor an element at a time', async () => {
    const parsed: string[] = [];
    const parse = JSON.parse;
    const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string) => {
      parsed.push(text);
      return parse(text) as unknown;
    });
    try {
      const rows = JSON.stringify(Array.from({ length: 1_000 }, (_, id) => ({ id, name: `row ${id}` })));
      expect(await parseJsonInTurns(rows, tiny(1_000, 10_000))).toEqual(parse(rows));
      const longestRow = 30;
      expect(Math.max(...parsed.map((piece) => piece.length))).toBeLessThanOrEqual(1_000 + longestRow);
      // A cut inside a row (at its own comma) splits it in two pieces: still tens of pieces, not a thousand.
      expect(parsed.length).toBeLessThanOrEqual(2 * Math.ceil(rows.length / 1_000));
      parsed.length = 0;
      const empties = `[${'{},'.repeat(999)}{}]`;
      expect(await parseJsonInTurns(empties, tiny(1_000_000, 20))).toEqual(parse(empties));
      const containersIn = (piece: string): number => piece.split('{').length - 1;
      expect(Math.max(...parsed.map(containersIn))).toBeLessThanOrEqual(20);
      expect(parsed.length).toBeLessThanOrEqual(Math.ceil(1_000 / 19) + 1);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads a text shorter than a piece without giving turns away (a turn per element made a long list crawl)', async () => {
    const text = JSON.stringify(Array.from({ length: 1_000 }, (_, id) => ({ id, name: `row ${id}` })));
    let read = false;
    let turns = 0;
    const parsing = parseJsonInTurns(text, tiny(100_000, 100_000)).finally(() => void (read = true));
    while (!read) {
      await nextTurn();
      turns++;
    }
    expect(await parsing).toEqual(JSON.parse(text));
    expect(turns).toBeLessThanOrEqual(1);
  });

  it('gives the event loop turns while it reads a long list: another task runs before the list is read', async () => {
    const text = JSON.stringify(Array.from({ length: 1_000 }, (_, id) => ({ id, name: `row ${id}` })));
    const first = await Promise.race([parseJsonInTurns(text, tiny(1_000)).then(() => 'parsed'), nextTurn().then(() => 'a turn went by')]);
    expect(first).toBe('a turn went by');
    expect(await parseJsonInTurns(text, tiny(1_000))).toEqual(JSON.parse(text));
  });
});
