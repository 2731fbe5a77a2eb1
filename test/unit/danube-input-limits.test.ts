import { describe, expect, it } from 'vitest';
import { refuseDanubeInput } from '../../src/providers/danube/input-limits.js';

const definitionName = (value: string) => () => refuseDanubeInput('danube-1', [{ argument: 'definitionName', kind: 'DEFINITION_NAME', value }]);
const node = (value: string) => () => refuseDanubeInput('danube-1', [{ argument: 'node', kind: 'BACKUP_NODE', value }]);
const refusal = (message: RegExp) => expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(message), details: expect.objectContaining({ fields: ['definitionName'] }) });

/**
 * A definition's name is esdc-ce's RegexField(r'^[A-Za-z0-9][A-Za-z0-9\._-]*$', max_length=8): a name
 * it refuses by its pattern (a leading '-', a space, any letter outside ASCII) went to Danube, and a
 * create by it read NOT_FOUND quoting it after three calls; five emoji (ten UTF-16 units) were told
 * they were over 8 characters.
 */
describe("Danube's rule for a backup definition's name, before any call", () => {
  it('takes the names Danube takes, up to 8 characters', () => {
    for (const name of ['daily', 'a', 'abcdefgh', 'w.1_x-2', '9lives']) expect(definitionName(name)).not.toThrow();
  });

  it('refuses a name Danube refuses by its pattern, saying the rule and never quoting the name', () => {
    for (const name of ['-daily', '.hidden', 'two word', 'täglich', '\u{1f600}'.repeat(5)]) {
      expect(definitionName(name)).toThrow(refusal(/^definitionName must be letters, digits, '\.', '_' and '-', the first a letter or digit/));
      try {
        definitionName(name)();
      } catch (error) {
        expect((error as Error).message).not.toContain(name);
      }
    }
  });

  it('counts characters as Danube does: nine emoji are over 8, five are not (their pattern refuses them)', () => {
    expect(definitionName('\u{1f600}'.repeat(9))).toThrow(refusal(/^definitionName must be at most 8 characters/));
  });

  it('takes a node of exactly 128 characters with labels of 63', () => {
    const exactly = `${'a'.repeat(63)}.${'b'.repeat(62)}.c`;
    expect(exactly).toHaveLength(128);
    expect(node(exactly)).not.toThrow();
    expect(node(`${exactly}c`)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^node must be a hostname of at most 128 characters/) }));
  });
});
