import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_SAME_ERRORS, collapseRepeatedErrors } from '../../src/graphql/repeated-errors.js';

const error = (message: string, code = 'BAD_USER_INPUT', more: Partial<GraphQLFormattedError> = {}): GraphQLFormattedError => ({ message, extensions: { code }, ...more });

describe('collapseRepeatedErrors', () => {
  it('keeps MAX_SAME_ERRORS of each message and one error counting the rest, in place after them', () => {
    const errors = [error('first'), ...Array.from({ length: 10 }, () => error('same')), error('last'), error('same')];
    expect(collapseRepeatedErrors(errors)).toEqual([
      error('first'),
      ...Array.from({ length: MAX_SAME_ERRORS }, () => error('same')),
      { message: `same (${11 - MAX_SAME_ERRORS} more like it left out)`, extensions: { code: 'BAD_USER_INPUT', repeated: 11 - MAX_SAME_ERRORS } },
      error('last'),
    ]);
  });

  it('tells apart the same message under different codes, keeps every error with a path, and a code-less error stays code-less', () => {
    const errors = [...Array.from({ length: 5 }, () => error('x', 'A')), ...Array.from({ length: 5 }, () => error('x', 'B'))];
    expect(collapseRepeatedErrors(errors)).toHaveLength(2 * (MAX_SAME_ERRORS + 1));
    const perItem = Array.from({ length: 10 }, (_, index) => error('provider down', 'PROVIDER_UNAVAILABLE', { path: ['instances', index] }));
    expect(collapseRepeatedErrors(perItem)).toEqual(perItem);
    const bare = Array.from({ length: MAX_SAME_ERRORS + 2 }, () => ({ message: 'plain' }));
    expect(collapseRepeatedErrors(bare).at(-1)).toEqual({ message: 'plain (2 more like it left out)', extensions: { repeated: 2 } });
  });

  it('leaves an answer without repeats as it was', () => {
    const errors = [error('a'), error('b'), error('a')];
    expect(collapseRepeatedErrors(errors)).toEqual(errors);
    expect(collapseRepeatedErrors([])).toEqual([]);
  });
});
