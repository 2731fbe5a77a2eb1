import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/providers/onapp/client.js';
import { UNREADABLE_WORDS, providerWords } from '../../src/providers/provider-words.js';

const nested = (levels: number, inner: unknown): unknown => {
  let value = inner;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
};

describe('providerWords: a provider message value as words, however it is nested', () => {
  it('reads strings, numbers, booleans and lists of them as String and join did', () => {
    expect(providerWords('busy')).toBe('busy');
    expect(providerWords(42)).toBe('42');
    expect(providerWords(['a', 1, true])).toBe('a, 1, true');
    expect(providerWords([['a', 'b'], 'c'], '; ')).toBe('a; b; c');
  });

  it('reads a list nested 100,000 deep without recursing through it (String() overflowed the stack)', () => {
    const deep = nested(100_000, 'x');
    expect(() => String(deep)).toThrow(RangeError);
    expect(providerWords(deep)).toBe(UNREADABLE_WORDS);
    expect(errorMessage({ errors: deep })).toBe(UNREADABLE_WORDS);
    expect(errorMessage({ errors: { disk: deep } })).toBe(`disk ${UNREADABLE_WORDS}`);
  });

  it('reads null and undefined as no words, alone or in a list', () => {
    expect(providerWords(null)).toBe('');
    expect(providerWords(undefined)).toBe('');
    expect(providerWords([null, 'busy', undefined])).toBe(', busy, ');
  });

  it('reads lists four deep, and a fifth level as unreadable', () => {
    expect(providerWords(nested(4, 'x'))).toBe('x');
    expect(providerWords(nested(5, 'x'))).toBe(UNREADABLE_WORDS);
  });

  it('shows no object as "[object Object]"', () => {
    expect(providerWords([{ secret: 'x' }, 'busy'])).toBe(`${UNREADABLE_WORDS}, busy`);
  });
});
