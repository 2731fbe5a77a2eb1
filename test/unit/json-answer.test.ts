import { describe, expect, it } from 'vitest';
import { JsonAnswerText, jsonAnswerBytes, stringifyAnswer } from '../../src/server/json-answer.js';

/** What Apollo's own `prettyJSONStringify` sends, as bytes. */
const apolloBytes = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');

const edge = (index: number) => ({
  node: {
    id: `id-${index}`,
    name: index % 3 === 0 ? `café ${index} €😀` : `vm-${index}`,
    size: index * 1.5,
    missing: undefined,
    nothing: null,
    flags: [true, false, undefined, () => 1, Symbol('left out')],
    backups: Array.from({ length: 5 }, (_, backup) => ({ id: `${index}-${backup}`, createdAt: new Date(Date.UTC(2026, 11, 6, 0, backup)) })),
  },
});

describe('jsonAnswerBytes', () => {
  it('writes what JSON.stringify and a newline encode to, for an answer of many groups with characters outside ASCII', () => {
    const value = { data: { instances: { totalCount: 2_000, edges: Array.from({ length: 2_000 }, (_, index) => edge(index)) } } };
    const bytes = jsonAnswerBytes(value);
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    expect(bytes.equals(apolloBytes(value))).toBe(true);
  });

  it('leaves containers with toJSON, class instances and odd items to JSON.stringify, as it writes them', () => {
    const withToJson = { toJSON: (key: string) => `toJSON(${key})` };
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: 'two' });
    const cases: unknown[] = [
      { data: { a: withToJson, b: [withToJson, withToJson] } },
      { data: { when: new Date(0), point: new Point(1, 2), map: new Map([[1, 2]]) } },
      { data: nullPrototype, errors: [{ message: 'ü', path: ['a', 0], extensions: { code: 'X' } }] },
      { data: { sparse: [1, , 3], nan: Number.NaN, infinite: Number.POSITIVE_INFINITY, negativeZero: -0 } },
      { data: { lone: '\ud800 and \udfff', quote: '"\\\n\u0001' } },
      { data: { undefinedOnly: undefined, fn: () => 1 } },
      { data: null },
      [],
      {},
      'text',
      42,
      null,
    ];
    for (const value of cases) expect(jsonAnswerBytes(value).toString('utf8')).toBe(apolloBytes(value).toString('utf8'));
  });

  it('writes arrays of thousands of items of uneven size, with holes and left-out items where runs of items meet, as JSON.stringify does', () => {
    const items: unknown[] = Array.from({ length: 5_000 }, (_, index) => {
      if (index % 97 === 0) return undefined;
      if (index % 89 === 0) return () => index;
      if (index % 7 === 0) return { text: 'x'.repeat(index % 50 === 0 ? 20_000 : 3), nested: [index, { deep: [undefined] }] };
      return index % 2 === 0 ? `é${index}` : index;
    });
    delete items[1_234];
    const value = { data: { list: items, other: { edges: items.slice(0, 100) } } };
    expect(jsonAnswerBytes(value).equals(apolloBytes(value))).toBe(true);
  });

  it("hands a BigInt's toJSON its index in the array, as JSON.stringify does", () => {
    const prototype = BigInt.prototype as { toJSON?: (this: bigint, key: string) => string };
    prototype.toJSON = function (this: bigint, key: string) {
      return `${this.toString()} at ${key}`;
    };
    try {
      const value = { data: { list: [1n, 2n, 3n], one: 4n } };
      expect(jsonAnswerBytes(value).toString('utf8')).toBe(apolloBytes(value).toString('utf8'));
    } finally {
      delete prototype.toJSON;
    }
  });

  it('throws where JSON.stringify throws', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { again: cyclic };
    expect(() => jsonAnswerBytes({ data: cyclic })).toThrow(TypeError);
    expect(() => jsonAnswerBytes({ data: { big: 1n } })).toThrow(TypeError);
  });

  it('guard: writes an answer in ASCII, and one whose first character outside ASCII falls in any of its pieces or at its very end, byte for byte', () => {
    const ascii = { data: { list: Array.from({ length: 3_000 }, (_, index) => ({ id: `vm-${index}`, size: index })) } };
    expect(jsonAnswerBytes(ascii).equals(apolloBytes(ascii))).toBe(true);
    for (const wide of ['é', '€', '😀']) {
      for (const at of [0, 1, 1_500, 2_998, 2_999]) {
        const list = ascii.data.list.map((item, index) => (index === at ? { ...item, id: `${item.id}${wide}` } : item));
        const value = { data: { list }, tail: at === 2_999 ? wide : 'x' };
        expect(jsonAnswerBytes(value).equals(apolloBytes(value))).toBe(true);
      }
    }
    for (const value of ['é', '😀', 'a😀', { a: 'é' }]) expect(jsonAnswerBytes(value).equals(apolloBytes(value))).toBe(true);
  });
});

describe('stringifyAnswer', () => {
  it('reads as the answer text anywhere a string is read, and carries the same bytes', () => {
    const value = { data: { instances: { edges: Array.from({ length: 300 }, (_, index) => edge(index)) } } };
    const answer = stringifyAnswer(value) as unknown;
    expect(answer).toBeInstanceOf(JsonAnswerText);
    const text = `${JSON.stringify(value)}\n`;
    expect(String(answer)).toBe(text);
    expect((answer as JsonAnswerText).length).toBe(text.length);
    expect((answer as JsonAnswerText).bytes.equals(apolloBytes(value))).toBe(true);
  });
});
