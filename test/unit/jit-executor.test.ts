import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JitExecutor, MAX_COMPILED_TEXT } from '../../src/graphql/jit-executor.js';
import { buildSchema } from '../../src/graphql/schema.js';

describe('JitExecutor', () => {
  it('keeps at most MAX_COMPILED_TEXT of query text compiled, however many large distinct queries come (500 of 62 KB held 1.3 GB)', async () => {
    const executor = new JitExecutor(buildSchema());
    const run = (source: string) => executor.execute({ document: parse(source), source, context: {} });
    for (let query = 0; query < 60; query++) {
      const source = `{ ${Array.from({ length: 3_000 }, (_, alias) => `q${query}a${alias}: __typename`).join(' ')} }`;
      expect(source.length).toBeGreaterThan(50_000);
      const answer = await run(source);
      expect(answer.errors).toBeUndefined();
      expect(executor.compiledText).toBeLessThanOrEqual(MAX_COMPILED_TEXT);
    }
    expect(executor.compiledText).toBeGreaterThan(MAX_COMPILED_TEXT / 2);
    // A small query is still kept, and answers.
    const small = '{ __typename }';
    expect((await run(small)).data).toEqual({ __typename: 'Query' });
    expect(executor.compiledText).toBeLessThanOrEqual(MAX_COMPILED_TEXT);
  }, 60_000);
});
