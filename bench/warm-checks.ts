/**
 * `npm run bench:warm-checks`: what each check in front of a query costs per
 * request, in bytes allocated and nanoseconds, for the warm dashboard (the
 * README's query, no variables) and for a query with variables. Each check
 * is called as the request path calls it, with the same document each time,
 * as Apollo's document cache hands it over on a warm request. Bytes are read
 * as the heap's growth over a run with no collection in it (a run that saw
 * one is said so and not counted), so they do not depend on the machine's
 * load; nanoseconds do.
 *
 * Knobs: WARM_CHECKS_N (calls per check and run, 500: with the npm script's
 * flags that fits its 128 MB young generation with no collection inside a run).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import { getOperationAST, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { clientTurnOf } from '../src/gateway/client-turn.js';
import type { Principal } from '../src/gateway/principal.js';
import { costLimitPlugin } from '../src/graphql/limits/cost-rule.js';
import { nullVariablesPlugin } from '../src/graphql/null-variables.js';
import type { RequestPipeline } from '../src/graphql/pipeline.js';
import { buildSchema } from '../src/graphql/schema.js';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';
import { mergedFieldsGuard } from '../src/server/merged-fields-guard.js';
import { nestingGuard } from '../src/server/nesting-guard.js';
import { persistedQueryGuard } from '../src/server/persisted-query-guard.js';
import { subscriptionRootGuard } from '../src/server/subscription-root-guard.js';

const calls = Number(process.env.WARM_CHECKS_N ?? 500) || 500;
let collections = 0;
new PerformanceObserver((list) => void (collections += list.getEntries().length)).observe({ entryTypes: ['gc'] });

const schema = buildSchema();
const pipeline = { parseOptions: { maxTokens: 5_000, maxSourceLength: 1_048_576 }, formatError: (error: unknown) => error, logErrors: () => {} } as unknown as RequestPipeline;
const countError = (): void => {};

interface Case {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
}
const cases: Case[] = [
  { label: 'warm dashboard (no variables)', query: DASHBOARD_QUERY },
  {
    label: 'query with variables, none null',
    query: 'query Page($first: Int = 10, $after: String, $id: ID!) { node(id: $id) { id } instances(first: $first, after: $after) { totalCount edges { node { id name backups { id } } } } }',
    variables: { after: 'abc', id: 'x' },
  },
  {
    label: 'query with variables, one sent null where it may be',
    query: 'query Page($first: Int = 10, $after: String, $id: ID!) { node(id: $id) { id } instances(first: $first, after: $after) { totalCount edges { node { id name backups { id } } } } }',
    variables: { after: null, id: 'x' },
  },
];

type Check = (request: { query: string; variables: Record<string, unknown> | undefined; document: DocumentNode; operation: OperationDefinitionNode }) => unknown;

const middleware = (handler: (req: Request, res: Response, next: NextFunction) => void): Check => {
  const res = { locals: { requestId: 'bench' } } as unknown as Response;
  const next = (): void => {};
  return ({ query, variables }) => handler({ method: 'POST', url: '/graphql', body: { query, variables } } as unknown as Request, res, next);
};

type Listener = { didResolveOperation: (context: { document: DocumentNode; operation: OperationDefinitionNode; request: { variables?: Record<string, unknown> }; schema: GraphQLSchema }) => Promise<void> };
const plugin = async (made: { requestDidStart?: unknown }): Promise<Check> => {
  const start = made.requestDidStart as () => Promise<Listener>;
  const listener = await start();
  return ({ document, operation, variables }) => listener.didResolveOperation({ document, operation, request: variables ? { variables } : {}, schema });
};

const checks: Array<[string, Check]> = [
  // The loop's own cost (an await each call), to read the others against.
  ['(nothing)', () => undefined],
  ['nestingGuard', middleware(nestingGuard(pipeline, countError))],
  ['mergedFieldsGuard', middleware(mergedFieldsGuard(pipeline, countError))],
  ['subscriptionRootGuard', middleware(subscriptionRootGuard(pipeline, countError))],
  ['persistedQueryGuard', middleware(persistedQueryGuard(pipeline, countError))],
  ['costLimitPlugin', await plugin(costLimitPlugin({ maxCost: 1_000_000, maxPageSize: 500, maxListArgument: 500 }))],
  ['nullVariablesPlugin', await plugin(nullVariablesPlugin())],
  ['clientTurnOf', () => clientTurnOf({ keyId: 'dashboard', roles: ['read'] } as unknown as Principal, '127.0.0.1')],
];

for (const { label, query, variables } of cases) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error(`${label}: no operation`);
  const request = { query, variables, document, operation };
  console.log(`\n${label}: bytes and ns per request, ${calls} calls a run, median of 5 runs`);
  for (const [name, check] of checks) {
    const bytes: number[] = [];
    const nanos: number[] = [];
    for (let run = 0; run < 6; run++) {
      for (let warmup = 0; warmup < 200; warmup++) await check(request);
      const seen = collections;
      const before = process.memoryUsage().heapUsed;
      const started = process.hrtime.bigint();
      for (let call = 0; call < calls; call++) await check(request);
      const took = Number(process.hrtime.bigint() - started);
      const grown = process.memoryUsage().heapUsed - before;
      // The first run is a warm-up for the optimiser; a run with a collection in it measures nothing.
      if (run > 0 && collections === seen && grown >= 0) bytes.push(grown / calls);
      if (run > 0) nanos.push(took / calls);
    }
    const median = (values: number[]): string => (values.length === 0 ? 'n/a (collected)' : values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0));
    console.log(`  ${name.padEnd(22)} ${median(bytes).padStart(8)} B  ${median(nanos).padStart(8)} ns`);
  }
}
