import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, startHarness, type Harness, withTrustedLoopbackProxy } from '../helpers/harness.js';

/** A loopback port nothing listens on (taken from the OS, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A failure inside the gateway (here: its shared state store is gone) is
 * answered without its cause (STORE_UNAVAILABLE, saying what to do), with
 * the details only in the log, found by the request id.
 */
describe('internal faults are masked', () => {
  let harness: Harness;
  let port: number;
  let store: RedisStore;

  beforeAll(async () => {
    port = await closedPort();
    store = new RedisStore(`redis://127.0.0.1:${port}/0`, `internal-fault-${process.pid}:`);
    // The request id sent below is used only from a trusted proxy.
    harness = await startHarness({ kinds: ['zomro'], store, configure: withTrustedLoopbackProxy() });
  });
  afterAll(async () => {
    await harness.close();
    await store.close();
  });

  it('answers with no cause, address or stack, and logs the cause with the request id', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    expect(list.errors).toBeUndefined();
    const answer = await harness.gql(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: list.data!.instances.edges[0]!.node.id, name: 'needs-the-store', idempotencyKey: 'k-internal-1' } },
      { headers: { 'x-request-id': 'internal-fault-1' } },
    );
    expect(errorCodes(answer)).toEqual(['STORE_UNAVAILABLE']);
    // The idempotency records are unreachable: said so (nothing was sent, send it again), the cause left out.
    expect(answer.errors?.[0]?.message).toBe('the idempotency records could not be reached; nothing was sent to the provider: send the request again with the same idempotencyKey');
    expect(Object.keys(answer.errors?.[0]?.extensions ?? {})).toEqual(['code']);
    expect(answer.text).not.toMatch(new RegExp(`${port}|ECONNREFUSED|redis|retries|\\bat \\w+ \\(|stack`, 'i'));

    const logged = harness.logs.map((line) => JSON.parse(line) as { level: number; requestId?: string; reqId?: string; msg: string; err?: { message?: string } });
    const fault = logged.find((line) => line.level === 40 && JSON.stringify(line).includes('internal-fault-1'));
    expect(fault, 'a warn-level log line carries the request id').toBeDefined();
    expect(JSON.stringify(fault)).toMatch(/ECONNREFUSED|retries|connect/i);
  });
});
