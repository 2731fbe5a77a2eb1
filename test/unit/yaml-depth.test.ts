import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_NESTING, TOO_DEEP, tooDeeplyNested } from '../../src/config/yaml-depth.js';

/** Where tooDeeplyNested puts its refusal, `line:col`, or undefined for none. */
const refusedAt = (text: string): string | undefined => {
  const error = tooDeeplyNested(text);
  if (error === undefined) return undefined;
  expect(error.message).toBe(TOO_DEEP);
  expect(error.code).toBe('RESOURCE_EXHAUSTION');
  const [at] = error.linePos ?? [];
  return at === undefined ? 'nowhere' : `${at.line}:${at.col}`;
};

const lists = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('tooDeeplyNested (lists and mappings inside one another, counted off the syntax tree)', () => {
  it(`takes ${MAX_CONFIG_NESTING} levels and refuses the first past them, at its opening`, () => {
    expect(refusedAt(lists(MAX_CONFIG_NESTING))).toBeUndefined();
    expect(refusedAt(lists(MAX_CONFIG_NESTING + 1))).toBe(`1:${MAX_CONFIG_NESTING + 1}`);
    expect(refusedAt(`a: ${lists(MAX_CONFIG_NESTING - 1)}`)).toBeUndefined();
    expect(refusedAt(`a: ${lists(MAX_CONFIG_NESTING)}`)).toBe(`1:${3 + MAX_CONFIG_NESTING}`);
  });

  it('counts { mappings, block mappings and block lists alike', () => {
    const maps = (depth: number): string => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(refusedAt(maps(MAX_CONFIG_NESTING))).toBeUndefined();
    expect(refusedAt(maps(MAX_CONFIG_NESTING + 1))).toBe(`1:${4 * MAX_CONFIG_NESTING + 1}`);
    const blockMaps = (depth: number): string => Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}k${level}:${level === depth - 1 ? ' 1' : ''}`).join('\n');
    expect(refusedAt(blockMaps(MAX_CONFIG_NESTING))).toBeUndefined();
    expect(refusedAt(blockMaps(MAX_CONFIG_NESTING + 1))).toBe(`${MAX_CONFIG_NESTING + 1}:${MAX_CONFIG_NESTING + 1}`);
    const blockLists = (depth: number): string => Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}-${level === depth - 1 ? ' x' : ''}`).join('\n');
    expect(refusedAt(blockLists(MAX_CONFIG_NESTING))).toBeUndefined();
    expect(refusedAt(blockLists(MAX_CONFIG_NESTING + 1))).toBe(`${MAX_CONFIG_NESTING + 1}:${MAX_CONFIG_NESTING + 1}`);
  });

  it('counts a key that is a list, and a later document, as deep as a value', () => {
    expect(refusedAt(`{ ${lists(MAX_CONFIG_NESTING - 1)}: 1 }`)).toBeUndefined();
    expect(refusedAt(`{ ${lists(MAX_CONFIG_NESTING)}: 1 }`)).toBe(`1:${2 + MAX_CONFIG_NESTING}`);
    expect(refusedAt(`? ${lists(MAX_CONFIG_NESTING)}\n: 1`)).toBe(`1:${2 + MAX_CONFIG_NESTING}`);
    expect(refusedAt(`a: 1\n---\n${lists(MAX_CONFIG_NESTING + 1)}`)).toBe(`3:${MAX_CONFIG_NESTING + 1}`);
  });

  it('walks 100,000 levels without running out of stack, and reads no bracket in a quoted string as one', () => {
    expect(refusedAt(lists(100_000))).toBe(`1:${MAX_CONFIG_NESTING + 1}`);
    expect(refusedAt(`a: "${'['.repeat(100_000)}"\nb: '${'{'.repeat(1_000)}'\n# ${'['.repeat(1_000)}`)).toBeUndefined();
  });
});

describe('tooDeeplyNested on a document with nothing in it, or a key left out', () => {
  it('passes an empty document and an item with no key (YAML reports those, or reads them null)', () => {
    // Mutation testing (2026-12-07): each of these threw a TypeError with the document's value or the empty key read as a token.
    for (const text of ['---\n', 'a: 1\n---\n', '# only a comment\n', ': v\n', '? \n: v\n', '{ : v }', '[a, : b]']) expect(tooDeeplyNested(text), JSON.stringify(text)).toBeUndefined();
  });

  it('says how deep, how deep a config goes, and what to look for', () => {
    expect(TOO_DEEP).toBe('lists and mappings are nested deeper than 64 levels here (by [ and { or by indenting), where a config needs six at most: look for a [ or { left unclosed');
  });
});
