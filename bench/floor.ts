/**
 * The floors under the gateway's CPU cost, measured in a process of its own
 * in the same run as the gateway (so they share the machine's mood):
 *
 * - upstream: the very requests one dashboard query sent to the simulators,
 *   replayed with nothing but undici Pools (one per simulator, 256
 *   connections), each answer read and JSON.parse'd. No policy, no mapping,
 *   no GraphQL: what those upstream calls cost any client.
 * - serving: the gateway's own dashboard answer served from memory by a bare
 *   node:http server (read and JSON.parse the request, JSON.stringify the
 *   answer): what answering that query costs any server, GraphQL aside.
 * - graphql: the same, but the answer is produced by executing the query
 *   with graphql-jit over that answer's data held in memory (our schema,
 *   default resolvers): GraphQL's own floor, with no loaders, cache or
 *   Apollo pipeline.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Pool } from 'undici';
import { readSchemaText } from '../src/graphql/schema.js';
import { usageMessage, type ChildMessage, type ParentMessage, type ReplayRequest } from './ipc.js';

const send = (message: ChildMessage) => process.send?.(message);
process.on('disconnect', () => process.exit(0));

const pools = new Map<string, Pool>();
const poolFor = (origin: string): Pool => {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 256, keepAliveTimeout: 30_000 });
    pools.set(origin, pool);
  }
  return pool;
};

async function replayOnce(requests: readonly ReplayRequest[]): Promise<void> {
  await Promise.all(
    requests.map(async (request) => {
      const { body, statusCode } = await poolFor(request.origin).request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        ...(request.body === '' ? {} : { body: request.body }),
      });
      const text = await body.text();
      if (statusCode !== 200) throw new Error(`replayed ${request.method} ${request.path} answered ${statusCode}`);
      JSON.parse(text);
    }),
  );
}

/** Replays the query's upstream requests round after round for `seconds`; CPU per round. */
async function replay(requests: readonly ReplayRequest[], seconds: number): Promise<ChildMessage> {
  for (let round = 0; round < 10; round++) await replayOnce(requests); // sockets and JIT warm
  const before = process.cpuUsage();
  const until = performance.now() + seconds * 1000;
  let rounds = 0;
  while (performance.now() < until) {
    await replayOnce(requests);
    rounds++;
  }
  const used = process.cpuUsage(before);
  return { type: 'replayed', rounds, msPerRound: (used.user + used.system) / 1000 / rounds };
}

/** How the floor server makes its answer: a stored value stringified, or the query executed over it. */
type Answerer = (request: { query: string }) => unknown;

function jsonAnswerer(answer: unknown): Answerer {
  return () => answer;
}

function graphqlAnswerer(answer: { data: unknown }): Answerer {
  const schema = buildSubgraphSchema({ typeDefs: parse(readSchemaText()) });
  const compiled = new Map<string, (root: unknown) => unknown>();
  return ({ query }) => {
    let run = compiled.get(query);
    if (!run) {
      const result = compileQuery(schema, parse(query));
      if (!isCompiledQuery(result)) throw new Error('the floor could not compile the dashboard query');
      run = (root) => result.query(root, {}, {});
      compiled.set(query, run);
    }
    return run(answer.data);
  };
}

function serve(answerer: Answerer): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      void Promise.resolve(answerer(request)).then((value) => {
        const body = JSON.stringify(value);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
}

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case 'usage':
        return send(usageMessage());
      case 'replay':
        return send(await replay(message.requests, message.seconds));
      case 'serve': {
        const answer = JSON.parse(message.answer) as { data: unknown };
        return send({ type: 'serving', url: await serve(message.mode === 'json' ? jsonAnswerer(answer) : graphqlAnswerer(answer)) });
      }
      case 'stop':
        await Promise.all([...pools.values()].map((pool) => pool.close()));
        process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
send({ type: 'ok' });
