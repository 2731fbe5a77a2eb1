import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { plainIssueWords } from '../../src/config/plain-issue-words.js';

/** plainIssueWords on each raw issue zod raises for `value` under `schema`, as the config loader hands them over. */
function wordsFor(schema: z.ZodType, value: unknown): Array<string | undefined> {
  const words: Array<string | undefined> = [];
  const result = schema.safeParse(value, {
    error: (issue) => {
      words.push(plainIssueWords(issue));
      return undefined;
    },
  });
  // zod makes each issue's message when the issues are first read.
  expect(result.error?.issues.length).toBe(words.length);
  return words;
}

describe('plainIssueWords: zod\'s words for a wrong type or size, in a YAML file\'s words', () => {
  it.each([
    [z.object({}), 5, 'must be keys and values (key: value, or { key: value })'],
    // `protection.perProvider: [a, b]` read "Invalid input: expected record, received array".
    [z.record(z.string(), z.number()), [1, 2], 'must be keys and values (key: value, or { key: value })'],
    [z.array(z.string()), 5, 'must be a list ([a, b], or one "- item" a line)'],
    [z.number(), 'a', 'must be a number'],
    [z.int(), 'a', 'must be a number'],
    // A number or true/false where text goes: YAML read it so for want of quotes (it said "must be text" alone).
    [z.string(), 5, 'must be text, and YAML reads this value as a number: write it in quotes ("...")'],
    [z.string(), true, 'must be text, and YAML reads this value as true or false: write it in quotes ("...")'],
    // guard: a list or keys where text goes keep the general words
    [z.string(), [1], 'must be text'],
    [z.boolean(), 'yes', 'must be true or false'],
  ])('a wrong type: %#', (schema, value, words) => {
    expect(wordsFor(schema, value)).toEqual([words]);
  });

  it('one plain word where a list goes (`roles: admin`) is shown as the list to write; other text is not quoted', () => {
    expect(wordsFor(z.array(z.string()), 'admin')).toEqual(['must be a list: write [admin] (or one "- item" a line)']);
    expect(wordsFor(z.array(z.string()), 'zomro-nl')).toEqual(['must be a list: write [zomro-nl] (or one "- item" a line)']);
    // YAML reads `roles: viewer, admin` as one text.
    expect(wordsFor(z.array(z.string()), 'viewer, admin')).toEqual(['must be a list: write [viewer, admin] (or one "- item" a line)']);
    // Not a plain word (it may be a secret at the wrong key): the general words.
    expect(wordsFor(z.array(z.string()), 'k3yXq9Lm2pQ7')).toEqual(['must be a list ([a, b], or one "- item" a line)']);
    expect(wordsFor(z.array(z.string()), 'admin, k3yXq9Lm2pQ7')).toEqual(['must be a list ([a, b], or one "- item" a line)']);
  });

  it('a whole number wanted, where zod says int', () => {
    expect(plainIssueWords({ code: 'invalid_type', expected: 'int', input: 2.5 } as z.core.$ZodRawIssue)).toBe('must be a whole number');
  });

  it('a key or a list item with nothing after it: null, which zod calls a wrong type', () => {
    expect(wordsFor(z.object({ name: z.string() }), { name: null })).toEqual(['has no value (nothing after its colon): write text']);
    expect(wordsFor(z.array(z.number()), [null])).toEqual(['has no value (nothing after its "-"): write a number']);
    expect(wordsFor(z.number(), null)).toEqual(['has no value (nothing after its colon): write a number']);
  });

  it('keeps zod\'s words for a type it has none for, and for other issues', () => {
    expect(wordsFor(z.bigint(), 'a')).toEqual([undefined]);
    expect(wordsFor(z.bigint(), null)).toEqual([undefined]);
    expect(wordsFor(z.enum(['a', 'b']), 'c')).toEqual([undefined]);
    expect(wordsFor(z.date().max(new Date(0)), new Date(5))).toEqual([undefined]);
    // Issues other than a size that carry a number's or a text's origin all the same.
    expect(wordsFor(z.string().email(), 'x')).toEqual([undefined]);
    expect(wordsFor(z.number().multipleOf(5), 7)).toEqual([undefined]);
  });

  it('number bounds, inclusive and not', () => {
    expect(wordsFor(z.number().max(100), 1000)).toEqual(['must be at most 100']);
    expect(wordsFor(z.number().min(16), 3)).toEqual(['must be at least 16']);
    expect(wordsFor(z.number().lt(5), 5)).toEqual(['must be less than 5']);
    expect(wordsFor(z.number().positive(), 0)).toEqual(['must be more than 0']);
    expect(wordsFor(z.int().max(65535), 70000)).toEqual(['must be at most 65535']);
    expect(plainIssueWords({ code: 'too_big', origin: 'int', maximum: 9, inclusive: true, input: 10 } as z.core.$ZodRawIssue)).toBe('must be at most 9');
    expect(plainIssueWords({ code: 'too_small', origin: 'number', minimum: 1, input: 0 } as z.core.$ZodRawIssue)).toBe('must be at least 1');
  });

  it('text and list sizes, one and many', () => {
    expect(wordsFor(z.string().min(1), '')).toEqual(['must not be empty']);
    expect(wordsFor(z.string().min(16), 'short')).toEqual(['must be at least 16 characters']);
    expect(wordsFor(z.string().max(1), 'ab')).toEqual(['must be at most 1 characters']);
    expect(wordsFor(z.array(z.number()).min(1), [])).toEqual(['must hold at least 1 item']);
    expect(wordsFor(z.array(z.number()).max(2), [1, 2, 3])).toEqual(['must hold at most 2 items']);
  });

  it('never quotes the value', () => {
    const secret = 'Sup3rSecretPassw0rd!';
    for (const schema of [z.number(), z.object({}), z.string().max(3), z.array(z.string()), z.boolean()]) {
      for (const words of wordsFor(schema, secret)) expect(words ?? '').not.toContain(secret);
    }
  });
});
