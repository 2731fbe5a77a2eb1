import { buildSchema, GraphQLError, parse, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { AnswerItemsGuard } from '../../src/graphql/limits/answer-items.js';
import { RootRefusals } from '../../src/graphql/root-refusals.js';

/**
 * A document's mutations run one after another (graphql-jit's serial execution, as the executor
 * compiles them). Once one is refused so that the whole `data` is null, graphql-js runs none after
 * it; a nullable one refused leaves `data` standing, and the next still runs.
 */
const SDL = `
  type Box { boxes: [Box!]! }
  type Query { ok: Int }
  type Mutation { refused: Int! nullableRefused: Int wide: Box! after: Int! }
`;

function mutations(maxItems: number) {
  const schema = buildSchema(SDL);
  const ran: string[] = [];
  const stopped: object[] = [];
  const refusals = new RootRefusals((context) => stopped.push(context));
  const answerItems = new AnswerItemsGuard(maxItems, (context, refusal) => refusals.answerNow(context, refusal));
  const box = (): { boxes: unknown[] } => ({ boxes: [{ boxes: [] }, { boxes: [] }, { boxes: [] }] });
  const fields = schema.getMutationType()!.getFields();
  fields.refused!.resolve = async () => {
    ran.push('refused');
    throw new GatewayError('BAD_USER_INPUT', 'refused');
  };
  fields.nullableRefused!.resolve = async () => {
    ran.push('nullableRefused');
    throw new GatewayError('BAD_USER_INPUT', 'refused');
  };
  fields.wide!.resolve = async () => {
    ran.push('wide');
    return { boxes: [box(), box(), box()] };
  };
  fields.after!.resolve = async () => {
    ran.push('after');
    return 1;
  };
  answerItems.install(schema);
  refusals.install(schema);
  /** Runs `document` to its end (the executor answers at the refusal; what it left behind settles here). */
  const run = async (document: string): Promise<{ result: ExecutionResult; answered: GraphQLErrorLike | null }> => {
    const compiled = compileQuery(schema, parse(document));
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    const context = {};
    answerItems.begin(context);
    const watch = refusals.watch(context)!;
    let answered: GraphQLErrorLike | null = null;
    void watch.refused.then((error) => (answered = error));
    const result = await compiled.query(undefined, context, {});
    watch.end();
    answerItems.end(context);
    return { result, answered };
  };
  return { run, ran, stopped, schema };
}

type GraphQLErrorLike = { message: string; path?: ReadonlyArray<string | number> | undefined };

describe('RootRefusals: a mutation after a refused one', () => {
  it('is not run after a non-null one refused, whatever its alias (guard)', async () => {
    const { run, ran, stopped } = mutations(100);
    const { answered } = await run('mutation { first: refused second: after }');
    expect(ran).toEqual(['refused']);
    expect(answered?.path).toEqual(['first']);
    expect(stopped).toHaveLength(1);
  });

  it('is not run after one whose lists passed limits.maxCost as they ran: the answer went out at that refusal', async () => {
    const { run, ran, stopped } = mutations(5);
    const { answered } = await run('mutation { wide { boxes { boxes { boxes { boxes { boxes } } } } } after }');
    expect(answered?.message).toContain('limits.maxCost');
    expect(stopped).toHaveLength(1);
    expect(ran).toEqual(['wide']);
  });

  it('runs after a nullable one refused: data stands, as in graphql-js (guard)', async () => {
    const { run, ran, stopped } = mutations(100);
    const { result, answered } = await run('mutation { nullableRefused after }');
    expect(ran).toEqual(['nullableRefused', 'after']);
    expect(result.data).toEqual({ nullableRefused: null, after: 1 });
    expect(answered).toBeNull();
    expect(stopped).toHaveLength(0);
  });

  it('runs after a refused one skipped: a field not run refuses nothing (guard)', async () => {
    const { run, ran } = mutations(100);
    const { result } = await run('mutation { refused @skip(if: true) after @include(if: true) }');
    expect(ran).toEqual(['after']);
    expect(result.data).toEqual({ after: 1 });
  });
});

describe('RootRefusals: a mutation after a refused one, with no watch on its execution', () => {
  it('is not run, though no answer waits on the refusal', async () => {
    const { schema, ran } = mutations(100);
    const compiled = compileQuery(schema, parse('mutation { refused after }'));
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    const result = await compiled.query(undefined, {}, {});
    expect(result.data).toBeNull();
    expect(ran).toEqual(['refused']);
  });

  it('keeps the refusal as the error when the execution has no context object', async () => {
    const { schema, ran } = mutations(100);
    const compiled = compileQuery(schema, parse('mutation { refused after }'));
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    const result = await compiled.query(undefined, undefined, {});
    expect(result.errors?.map((error) => error.message)).toEqual(['refused']);
  });
});

/**
 * A query's non-null root field refused: its execution is told at once (the answer goes out and
 * the request's reads stop), a resolver throwing as it is called as one whose promise rejects. A
 * nullable field refused, or a refusal after the watch ended, tells nobody.
 */
function queries() {
  const schema = buildSchema('type Query { slow: Int! thrown: Int! rejected: Int! nullable: Int answered: Int! }');
  const stopped: object[] = [];
  const refusals = new RootRefusals((context) => stopped.push(context));
  let release: () => void = () => undefined;
  const slowRead = new Promise<number>((resolve) => (release = () => resolve(1)));
  const fields = schema.getQueryType()!.getFields();
  fields.slow!.resolve = () => slowRead;
  fields.thrown!.resolve = () => {
    throw new GatewayError('BAD_USER_INPUT', 'thrown as called');
  };
  fields.rejected!.resolve = async () => {
    throw new GatewayError('BAD_USER_INPUT', 'rejected');
  };
  fields.nullable!.resolve = async () => {
    throw new GatewayError('BAD_USER_INPUT', 'nullable');
  };
  fields.answered!.resolve = () => 7;
  refusals.install(schema);
  const start = (document: string, context: object = {}) => {
    const compiled = compileQuery(schema, parse(document));
    if (!isCompiledQuery(compiled)) throw new Error('not compiled');
    const watch = refusals.watch(context)!;
    const result = Promise.resolve(compiled.query(undefined, context, {}));
    return { watch, result, context };
  };
  return { start, stopped, release: () => release(), refusals };
}

describe('RootRefusals: a query refused at a non-null root field', () => {
  for (const field of ['thrown', 'rejected']) {
    it(`tells its execution at once, while another field still reads: a resolver ${field === 'thrown' ? 'throwing as it is called' : 'whose promise rejects'}`, async () => {
      const { start, stopped, release } = queries();
      const { watch, result, context } = start(`{ slow ${field} }`);
      const refusal = await watch.refused;
      expect(refusal.message).toBe(field === 'thrown' ? 'thrown as called' : 'rejected');
      expect(refusal.path).toEqual([field]);
      expect(stopped).toEqual([context]);
      watch.end();
      release();
      expect((await result).data).toBeNull();
    });
  }

  it('tells nobody of a nullable field refused: data stands (guard)', async () => {
    const { start, stopped } = queries();
    let told = false;
    const { watch, result } = start('{ nullable }');
    void watch.refused.then(() => (told = true));
    expect((await result).data).toEqual({ nullable: null });
    await Promise.resolve();
    expect(told).toBe(false);
    expect(stopped).toHaveLength(0);
  });

  it('tells nobody once the watch ended: the request was answered', async () => {
    const { start, stopped } = queries();
    let told = false;
    const { watch, result } = start('{ rejected }');
    void watch.refused.then(() => (told = true));
    watch.end();
    expect((await result).data).toBeNull();
    await Promise.resolve();
    expect(told).toBe(false);
    expect(stopped).toHaveLength(0);
  });

  it('answers a non-null field resolved at once, no promise, as it resolved', async () => {
    const { start, stopped } = queries();
    const { watch, result } = start('{ answered }');
    expect((await result).data).toEqual({ answered: 7 });
    watch.end();
    expect(stopped).toHaveLength(0);
  });

  it('watches no context that is no object, and answerNow passes one over', () => {
    const { refusals, stopped } = queries();
    expect(refusals.watch(undefined)).toBeNull();
    expect(refusals.watch(null)).toBeNull();
    expect(refusals.watch('request')).toBeNull();
    for (const context of [null, undefined, 'request']) expect(() => refusals.answerNow(context, new GraphQLError('late'))).not.toThrow();
    expect(stopped).toHaveLength(0);
  });

  it('stops nothing when answerNow comes after the watch ended (lists past limits.maxCost once answered)', () => {
    const { refusals, stopped } = queries();
    const context = {};
    refusals.watch(context)!.end();
    expect(() => refusals.answerNow(context, new GraphQLError('late'))).not.toThrow();
    expect(stopped).toHaveLength(0);
  });
});
