import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Callers without a key (allowAnonymous) share one principal. Their idempotency keys were one
 * set: a second anonymous client sending the first one's key (guessed, or read from a log) was
 * replayed the first one's answer, and its own mutation never ran. Keys are the caller's address's
 * (the client's behind a trusted proxy, as limits.rateLimit counts them).
 */

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
type Created = { createBackup: { operation: { id: string } } };

describe('idempotency keys of callers without a key, apart by address', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zstack'],
      // The test's requests come from loopback: each names its client in X-Forwarded-For, as a proxy would.
      configure: (config) => ({ ...config, allowAnonymous: true, listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
    });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  const createFrom = (address: string, input: Record<string, unknown>) => harness.gql<Created>(CREATE, { input }, { headers: { 'x-forwarded-for': address } });

  it("one anonymous client's key, sent by another from another address, runs the other's mutation; the first still gets its own answer again", async () => {
    const input = { instanceId, name: 'anonymous-keyed', idempotencyKey: randomUUID() };
    const first = await createFrom('203.0.113.7', input);
    expect(first.errors).toBeUndefined();
    const firstId = first.data!.createBackup.operation.id;

    const other = await createFrom('198.51.100.9', input);
    expect(other.errors).toBeUndefined();
    expect(other.data!.createBackup.operation.id).not.toBe(firstId);

    const again = await createFrom('203.0.113.7', input);
    expect(again.errors).toBeUndefined();
    expect(again.data!.createBackup.operation.id).toBe(firstId);
  });
});
