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

  it('reads a document\'s query text once for its compile key, however often the same document is run (Apollo hands a warm request the same one)', async () => {
    const executor = new JitExecutor(buildSchema());
    const text = '{ __typename }';
    const document = parse(text);
    let textReads = 0;
    const request = {
      document,
      get source() {
        textReads += 1;
        return text;
      },
      context: {},
    };
    for (let run = 0; run < 5; run++) expect((await executor.execute(request)).data).toEqual({ __typename: 'Query' });
    expect(textReads).toBe(1);
    // Another document of the same text is keyed by its own text, and shares the compiled query.
    const again = parse(text);
    expect((await executor.execute({ document: again, source: text, context: {} })).data).toEqual({ __typename: 'Query' });
    expect(executor.compiledText).toBe(`\u0000${text}`.length);
  });

  it('runs the operation named, one document with two operations run by each name in turn', async () => {
    const executor = new JitExecutor(buildSchema());
    const source = 'query A { a: __typename } query B { b: __typename }';
    const document = parse(source);
    for (let run = 0; run < 2; run++) {
      expect((await executor.execute({ document, source, operationName: 'A', context: {} })).data).toEqual({ a: 'Query' });
      expect((await executor.execute({ document, source, operationName: 'B', context: {} })).data).toEqual({ b: 'Query' });
    }
  });
});
