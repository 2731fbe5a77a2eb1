import { describe, expect, it } from 'vitest';
import { errorsBehind } from '../../src/upstream/errors-behind.js';

/**
 * The errors a transport error's class and words are read from (failure-class.ts,
 * unreadable-answer.ts): it, then breadth first what it was caused by and an AggregateError's
 * errors (one per address a connect tried), at most 8, however the chain loops.
 */
const named = (message: string, cause?: unknown): Error => new Error(message, cause === undefined ? undefined : { cause });
const messages = (error: unknown): string[] => [...errorsBehind(error)].map((each) => (each as Error).message);

describe('errorsBehind: a transport error and the errors behind it', () => {
  it('reads the error, then its causes and an AggregateError\'s errors, breadth first', () => {
    const aggregate = new AggregateError([named('a1', named('a1 cause')), named('a2')], 'connect', { cause: named('agg cause') });
    expect(messages(named('top', aggregate))).toEqual(['top', 'connect', 'agg cause', 'a1', 'a2', 'a1 cause']);
  });

  it('reads eight: an AggregateError and seven addresses\' errors whole, a missing cause taking no place', () => {
    const seven = Array.from({ length: 7 }, (_, index) => named(`address ${index + 1}`));
    expect(messages(new AggregateError(seven, 'connect'))).toEqual(['connect', ...seven.map((error) => error.message)]);
    const nine = Array.from({ length: 9 }, (_, index) => named(`address ${index + 1}`));
    expect(messages(new AggregateError(nine, 'connect'))).toHaveLength(8);
  });

  it('stops at eight in a chain that loops back on itself, and passes over what is no object', () => {
    const first = named('first');
    const second = named('second', first);
    first.cause = second;
    expect(messages(first)).toEqual(['first', 'second', 'first', 'second', 'first', 'second', 'first', 'second']);
    expect(messages(named('top', 'a string cause'))).toEqual(['top']);
    expect(messages(new AggregateError([null, 'x', named('object')], 'connect'))).toEqual(['connect', 'object']);
    expect(messages(undefined)).toEqual([]);
    expect(messages('text')).toEqual([]);
  });
});
