import { execute, parse, type ExecutionResult, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JitExecutor } from '../../src/graphql/jit-executor.js';
import { AnswerItemsGuard } from '../../src/graphql/limits/answer-items.js';
import { RootRefusals } from '../../src/graphql/root-refusals.js';
import { differentialWorld, type DifferentialWorld } from '../helpers/differential-schema.js';

/**
 * The gateway's executor (graphql-jit, with the root refusals and the answer-items guard installed
 * as the pipeline installs them) against graphql-js's `execute`, document by document: the same
 * `data`, the same errors (paths and messages), the same mutation resolvers run, and an answer that
 * waits for a slow field only where graphql-js's waits.
 *
 * Every resolver answers at once or after microtasks, save the slow ones, which wait for
 * `releaseSlow`: once a turn of the event loop has passed (every microtask run), an execution
 * that has not answered is waiting for a slow field.
 */
interface Outcome {
  result: ExecutionResult;
  mutationsRan: string[];
  /** The answer came only after the slow fields were let answer. */
  waited: boolean;
}

interface Case {
  name: string;
  document: string;
  variables?: Record<string, unknown>;
  /**
   * graphql-jit answers a query whose `data` is null by a failure below its root fields only once
   * every field has settled (its null is placed at the end), where graphql-js answers at once; the
   * answer is the same `data: null`, later. Not fixed: see docs/architecture.md.
   */
  waitsWhereGraphqlJsDoesNot?: true;
  /**
   * A query answered at its root refusal names the nullable root fields' failures known by then,
   * as graphql-js does, but not a failure deeper down that graphql-js names beside them: graphql-jit
   * holds those until it ends. Not fixed: see docs/architecture.md.
   */
  leavesOutDeeperFailures?: true;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function outcome(world: DifferentialWorld, run: () => Promise<ExecutionResult>): Promise<Outcome> {
  let answered = false;
  const answer = run().finally(() => (answered = true));
  await turn();
  const waited = !answered;
  world.releaseSlow();
  const result = await answer;
  // What the execution left behind (an answer given at a refusal) runs to its end before the mutations run are read.
  await turn();
  return { result, mutationsRan: [...world.mutationsRan], waited };
}

async function byGraphqlJs(document: string, variables: Record<string, unknown> | undefined): Promise<Outcome> {
  const world = differentialWorld();
  return outcome(world, async () => execute({ schema: world.schema, document: parse(document), contextValue: {}, variableValues: variables ?? {} }));
}

async function byGateway(document: string, variables: Record<string, unknown> | undefined, maxItems = 1000): Promise<Outcome> {
  const world = differentialWorld();
  const refusals = new RootRefusals(() => undefined);
  const answerItems = new AnswerItemsGuard(maxItems, (context, refusal) => refusals.answerNow(context, refusal));
  answerItems.install(world.schema);
  refusals.install(world.schema);
  const executor = new JitExecutor(world.schema, answerItems, refusals);
  return outcome(world, () => executor.execute({ document: parse(document), source: document, context: {}, variables }));
}

const errorsOf = (result: ExecutionResult, keep: (error: GraphQLError) => boolean = () => true): string[] =>
  (result.errors ?? []).filter(keep).map((error) => `${JSON.stringify(error.path ?? null)} ${error.message}`).sort();

/** Whether `path` lies below a field answered null in `data` (not at that field itself). */
function belowNull(data: unknown, path: ReadonlyArray<string | number> | undefined): boolean {
  let value = data;
  for (const key of (path ?? []).slice(0, -1)) {
    if (value === null) return true;
    if (typeof value !== 'object' || value === undefined) return false;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value === null;
}

const CASES: Case[] = [
  // Queries.
  { name: 'a plain query, nested lists, an async leaf', document: '{ count instances { id name backups { id name size note } } }' },
  { name: 'a nullable list nulled by a non-null item failing below it', document: '{ maybeInstances { id backups { id size } } count }' },
  { name: 'a nullable list kept where only a nullable field fails', document: '{ maybeInstances { id backups { id note } } }' },
  { name: 'a null item in a list of non-null nulls the nearest nullable field', document: '{ a: instance(id: "i3-nullbackup") { id backups { id } } b: instance(id: "i3-nullbackup") { id maybeBackups { id } } }' },
  { name: 'a non-null name null through the default resolver', document: '{ instance(id: "i4-noname") { id name } count }' },
  { name: 'a rejecting leaf and a null name beside it in one list', document: '{ instance(id: "i5-rejecting") { id backups { name size } } }' },
  { name: 'a nullable root field thrown, others standing', document: '{ broken count instance(id: "i-throw") { id } }' },
  { name: 'list of nullable scalars keeps its null', document: '{ instances { notes } }' },
  { name: 'aliases and repeated fields merged', document: '{ one: instance(id: "i1") { id n: name } two: instance(id: "i1") { id backups { s: size } backups { id } } }' },
  { name: 'fragments, inline fragments on an interface and a union', document: '{ node(id: "b1") { ...N ... on Backup { size } } other: node(id: "i1") { ...N ... on Instance { name } } items { __typename ... on Backup { id } ... on Instance { name } } } fragment N on Node { id __typename }' },
  { name: '@include and @skip, literal and by variable', document: 'query Q($yes: Boolean!, $no: Boolean!) { count @include(if: $yes) broken @skip(if: $yes) refused @include(if: $no) instances @skip(if: false) { id name @include(if: $no) } }', variables: { yes: true, no: false } },
  { name: 'a non-null root field refused (async) beside a slow one: answered at once', document: '{ refused slow count }' },
  { name: 'a non-null root field refused (sync) beside a slow one', document: '{ slow refusedNow instances { id } }' },
  { name: 'a slow non-null root field refused after a nullable one failed', document: '{ broken slowRefused }' },
  { name: 'a non-null root field refused (async) beside a nullable one failed: both errors', document: '{ broken refused slow }' },
  { name: 'a nullable root field failed (async), then one refused at once: both errors', document: '{ broken refusedNow slow }' },
  { name: 'a nullable root field thrown, then one refused (async) beside a slow one: both errors', document: '{ instance(id: "i-throw") { id } refused slow count }' },
  {
    name: 'a nullable field deep in a root field failed, then a non-null root field refused beside a slow one (guard: the difference left)',
    document: '{ instance(id: "i2-badbackups") { id backups { id note } } refused slow }',
    leavesOutDeeperFailures: true,
  },
  { name: 'two non-null root fields refused: the one graphql-js names (guard)', document: '{ refused refusedNow slow }' },
  { name: 'two non-null root fields refused (async) beside a nullable one failed: its error and the first refusal', document: '{ refused broken slowRefused }' },
  {
    name: 'a non-null list nulled by a deep failure beside a slow field',
    document: '{ brokenInstances { id name } slow }',
    waitsWhereGraphqlJsDoesNot: true,
  },
  { name: 'a variable of the wrong type: no data', document: 'query Q($id: ID!) { instance(id: $id) { id } }', variables: { id: { not: 'an id' } } },
  { name: "a list variable's bad item: graphql-js names its place", document: 'query Q($ids: [ID!]) { filtered(ids: $ids) }', variables: { ids: ['1', {}] } },
  { name: "an input object variable's bad list item", document: 'query Q($filter: Filter) { filtered(filter: $filter) }', variables: { filter: { name: 'a', sizes: [1, null] } } },
  { name: 'an input object variable with a field the type has not', document: 'query Q($filter: Filter) { filtered(filter: $filter) }', variables: { filter: { name: 'a', size: 1 } } },
  { name: 'an input object variable without a required field', document: 'query Q($filter: Filter) { filtered(filter: $filter) }', variables: { filter: { sizes: [] } } },
  { name: 'variables taken: both answer', document: 'query Q($filter: Filter, $ids: [ID!]) { filtered(filter: $filter, ids: $ids) }', variables: { filter: { name: 'a', sizes: [1] }, ids: [2] } },
  { name: "a mutation's variable of the wrong type", document: 'mutation M($id: ID!) { create(id: $id) { backup { id } } }', variables: { id: ['b1'] } },
  // Mutations.
  { name: 'mutations in series, all acting', document: 'mutation { a: create(id: "b1") { backup { id name } } b: remove(id: "b2") { backup { id size } } }' },
  { name: 'a non-null mutation refused: none after it runs', document: 'mutation { a: create(id: "b1") { backup { id } } b: remove(id: "b-refuse") { backup { id } } c: create(id: "b3") { backup { id } } }' },
  { name: 'a non-null mutation rejecting: none after it runs', document: 'mutation { a: remove(id: "b-reject") { backup { id } } b: create(id: "b3") { backup { id } } }' },
  { name: 'a non-null mutation answering null: none after it runs', document: 'mutation { a: create(id: "b-null") { backup { id } } b: create(id: "b3") { backup { id } } }' },
  { name: "a non-null field deep in a mutation's payload null: none after it runs", document: 'mutation { a: create(id: "b-noname") { backup { id name } } b: create(id: "b3") { backup { id } } }' },
  { name: "a non-null leaf deep in a mutation's payload throwing: none after it runs", document: 'mutation { a: create(id: "b-badsize") { backup { size } } b: remove(id: "b3") { backup { id } } }' },
  { name: "a non-null leaf deep in a mutation's payload rejecting: none after it runs", document: 'mutation { a: create(id: "b-rejectsize") { backup { size } } b: remove(id: "b3") { backup { id } } }' },
  { name: "a non-null object two levels down a mutation's payload null: none after it runs", document: 'mutation { a: create(id: "b-orphan") { backup { instance { id } } } b: remove(id: "b3") { backup { id } } }' },
  { name: "a non-null list item deep in a mutation's payload null: none after it runs", document: 'mutation { a: create(id: "b1") { backup { instance { backups { id } } } } b: create(id: "b-nullsibling") { backup { instance { backups { id } } } } c: remove(id: "b3") { backup { id } } }' },
  { name: 'the deep failure in a fragment', document: 'mutation { a: create(id: "b-noname") { ...P } b: create(id: "b3") { ...P } } fragment P on Payload { backup { ... on Backup { name } } }' },
  { name: 'the deep failure skipped: the next runs', document: 'mutation { a: create(id: "b-noname") { backup { id name @skip(if: true) } } b: create(id: "b3") { backup { id } } }' },
  { name: 'the deep failure included by variable', document: 'mutation M($with: Boolean!) { a: create(id: "b-noname") { backup { id name @include(if: $with) } } b: create(id: "b3") { backup { id } } }', variables: { with: true } },
  { name: 'a nullable payload nulled deep: data stands and the next runs', document: 'mutation { a: tryCreate(id: "b-noname") { backup { name } } b: create(id: "b3") { backup { id } } }' },
  { name: 'a nullable field in a payload throwing: the next runs', document: 'mutation { a: create(id: "b-badnote") { note backup { id note } } b: create(id: "b3") { backup { id } } }' },
  { name: 'a nullable mutation refused, then a deep failure, then one more', document: 'mutation { a: tryCreate(id: "b-refuse") { backup { id } } b: create(id: "b-noname") { backup { name } } c: create(id: "b3") { backup { id } } }' },
  { name: "a nullable mutation failed, then a non-null one refused: the answer carries both errors", document: 'mutation { a: tryCreate(id: "b-reject") { backup { id } } b: remove(id: "b-refuse") { backup { id } } c: create(id: "b3") { backup { id } } }' },
  { name: 'a slow mutation after a nullable one failed', document: 'mutation { a: tryCreate(id: "b-reject") { backup { id } } b: slowCreate(id: "b1") { backup { id } } }' },
  { name: 'a deep failure beside a slow sibling read in the same payload', document: 'mutation { a: create(id: "b-noname") { backup { name instance { id } } } b: create(id: "b3") { backup { id } } }' },
];

describe('the gateway executor answers as graphql-js does', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const expected = await byGraphqlJs(testCase.document, testCase.variables);
      const actual = await byGateway(testCase.document, testCase.variables);
      expect(actual.mutationsRan).toEqual(expected.mutationsRan);
      expect(actual.result.data).toEqual(expected.result.data);
      if (expected.result.data === null && !testCase.document.startsWith('mutation')) {
        // A query answered at its refusal carries what graphql-js's does: the one failure that nulled `data` and the root fields' failures before it.
        if (testCase.leavesOutDeeperFailures) {
          const rootFailures = (error: GraphQLError): boolean => (error.path?.length ?? 0) <= 1;
          expect(errorsOf(actual.result)).toEqual(errorsOf(expected.result, rootFailures));
          expect(errorsOf(expected.result).length).toBeGreaterThan(errorsOf(actual.result).length);
        } else {
          expect(errorsOf(actual.result)).toEqual(errorsOf(expected.result));
        }
      } else {
        // Below a field both answer null, graphql-js keeps only the errors that came before it gave up on it.
        expect(errorsOf(actual.result, (error) => !belowNull(actual.result.data, error.path))).toEqual(errorsOf(expected.result, (error) => !belowNull(expected.result.data, error.path)));
        expect(errorsOf(actual.result)).toEqual(expect.arrayContaining(errorsOf(expected.result)));
      }
      // The gateway may answer sooner than graphql-js (which waits for the fields begun beside one that threw), never later.
      if (testCase.waitsWhereGraphqlJsDoesNot) expect([expected.waited, actual.waited]).toEqual([false, true]);
      else if (actual.waited) expect(expected.waited).toBe(true);
    });
  }
});

describe('the gateway executor past limits.maxCost (no graphql-js counterpart)', () => {
  it("answers a mutation whose payload's lists passed it with that one refusal, and runs none after it (guard)", async () => {
    const { result, mutationsRan } = await byGateway('mutation { a: create(id: "b1") { backup { instance { backups { instance { backups { id } } } } } } b: remove(id: "b2") { backup { id } } }', undefined, 3);
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.message).toContain('limits.maxCost');
    expect(mutationsRan).toEqual(['create:b1']);
  });
});
