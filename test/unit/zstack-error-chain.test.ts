import { describe, expect, it } from 'vitest';
import { MOST_CAUSES, chainHasCode, errorChain, rootDescription } from '../../src/providers/zstack/error-chain.js';

/** ZStack's error and its causes (error-chain.ts), by plain calls on answer bodies. */
const chainOf = (depth: number): unknown => {
  let error: Record<string, unknown> | null = null;
  for (let level = depth; level >= 1; level -= 1) error = { code: `SYS.${level}`, description: `level ${level}`, cause: error };
  return { error };
};

describe('errorChain', () => {
  it('reads the error, then each cause under it, to MOST_CAUSES deep', () => {
    expect(MOST_CAUSES).toBe(8);
    expect(errorChain(chainOf(3)).map((error) => error.code)).toEqual(['SYS.1', 'SYS.2', 'SYS.3']);
    expect(errorChain(chainOf(20)).map((error) => error.code)).toEqual(['SYS.1', 'SYS.2', 'SYS.3', 'SYS.4', 'SYS.5', 'SYS.6', 'SYS.7', 'SYS.8']);
  });

  it('is empty for a body with no error object, and stops at a cause that is none', () => {
    for (const body of [null, undefined, 'error', [{ error: { code: 'x' } }], {}, { error: null }, { error: 'x' }, { error: [{ code: 'x' }] }]) {
      expect(errorChain(body), JSON.stringify(body)).toEqual([]);
    }
    expect(errorChain({ error: { code: 'a', cause: [{ code: 'b' }] } })).toEqual([{ code: 'a', cause: [{ code: 'b' }] }]);
    expect(errorChain({ error: { code: 'a', cause: 'b' } })).toHaveLength(1);
  });
});

describe('chainHasCode', () => {
  it('finds a code on the error or any cause under it, not past MOST_CAUSES', () => {
    expect(chainHasCode(chainOf(3), 'SYS.1')).toBe(true);
    expect(chainHasCode(chainOf(3), 'SYS.3')).toBe(true);
    expect(chainHasCode(chainOf(3), 'SYS.4')).toBe(false);
    expect(chainHasCode(chainOf(9), 'SYS.9')).toBe(false);
    expect(chainHasCode(null, 'SYS.1')).toBe(false);
  });
});

describe('rootDescription', () => {
  const wrapped = (root: Record<string, unknown>): unknown => ({ error: { code: 'SYS.1006', description: 'An operation failed', cause: root } });

  it('answers the deepest description where the top error wraps one that says something else', () => {
    expect(rootDescription(wrapped({ code: 'SYS.1003', description: 'volume v not found', cause: null }))).toBe('volume v not found');
    expect(rootDescription(chainOf(3))).toBe('level 3');
  });

  it('passes over causes with no description, a blank one or one that is no text', () => {
    expect(rootDescription(wrapped({ code: 'a', description: 'group g missing', cause: { code: 'b', description: '  ', cause: { code: 'c', description: 7 } } }))).toBe('group g missing');
  });

  it('is null for one error, no description under it, or the root saying what the top says', () => {
    expect(rootDescription({ error: { code: 'SYS.1003', description: 'not found' } })).toBeNull();
    expect(rootDescription(null)).toBeNull();
    expect(rootDescription(wrapped({ code: 'SYS.1003' }))).toBeNull();
    expect(rootDescription(wrapped({ code: 'SYS.1003', description: '' }))).toBeNull();
    expect(rootDescription({ error: { code: 'a', description: '  ', cause: { code: 'b' } } })).toBeNull();
    expect(rootDescription(wrapped({ code: 'SYS.1003', description: 'An operation failed' }))).toBeNull();
  });
});
