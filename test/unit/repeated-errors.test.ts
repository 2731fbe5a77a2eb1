import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_SAME_ERRORS, collapseRepeatedErrors, repeatedErrorsPlugin } from '../../src/graphql/repeated-errors.js';

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

describe('repeatedErrorsPlugin', () => {
  /** What the plugin leaves of `body` as Apollo is about to send it. */
  async function sent<Body>(body: Body): Promise<Body> {
    const listener = await repeatedErrorsPlugin().requestDidStart?.({} as never);
    const response = { body };
    await listener?.willSendResponse?.({ response } as never);
    return response.body;
  }

  it("collapses a single answer's repeated errors, and leaves an answer without errors and an incremental one as they are", async () => {
    const errors = Array.from({ length: MAX_SAME_ERRORS + 2 }, () => error('same'));
    const single = await sent({ kind: 'single', singleResult: { errors } });
    expect(single.singleResult.errors).toHaveLength(MAX_SAME_ERRORS + 1);
    expect(single.singleResult.errors.at(-1)).toEqual({ message: 'same (2 more like it left out)', extensions: { code: 'BAD_USER_INPUT', repeated: 2 } });

    expect(await sent({ kind: 'single', singleResult: { data: { a: 1 } } })).toEqual({ kind: 'single', singleResult: { data: { a: 1 } } });
    const incremental = { kind: 'incremental', initialResult: { errors, hasNext: true }, subsequentResults: {} };
    expect((await sent(incremental)).initialResult.errors).toHaveLength(MAX_SAME_ERRORS + 2);
  });

  it('tells apart a message and code that read the same run together', () => {
    const errors = [...Array.from({ length: 4 }, () => error('Bx', 'A')), ...Array.from({ length: 4 }, () => error('x', 'AB'))];
    expect(collapseRepeatedErrors(errors).map((kept) => kept.message)).toEqual(['Bx', 'Bx', 'Bx', 'Bx (1 more like it left out)', 'x', 'x', 'x', 'x (1 more like it left out)']);
  });
});
