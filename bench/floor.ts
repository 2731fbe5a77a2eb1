/**
 * The floors under the gateway's CPU cost, measured in a process of its own
 * in the same run as the gateway (so they share the machine's mood):
 *
 * - upstream: the very requests one dashboard query sent to the simulators,
 *   replayed with nothing but undici Pools (one per simulator, 256
 *   connections), each answer read and JSON.parse'd. No policy, no mapping,
 *   no GraphQL: what those upstream calls cost any client.
 * - serving: the gateway's own dashboard answer served from memory, three
 *   ways (bench/floor-servers.ts): bare node:http with JSON.stringify;
 *   graphql-jit executing the query over that answer's data; the same
 *   behind Apollo Server 5 on express 5, set up as the gateway sets them up.
 */
import { Pool } from 'undici';
import { serveFloor } from './floor-servers.js';
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

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case 'usage':
        return send(usageMessage());
      case 'replay':
        return send(await replay(message.requests, message.seconds));
      case 'serve': {
        const answer = JSON.parse(message.answer) as { data: unknown };
        return send({ type: 'serving', url: (await serveFloor(answer, message.mode)).url });
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
