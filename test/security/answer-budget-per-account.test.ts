import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, withAccountCopy, withLimits, withProviderSettings, type Harness } from '../helpers/harness.js';

const MiB = 1024 * 1024;
type Instances = { instances: { edges: unknown[]; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } };
const INSTANCES = 'query($account: ID) { instances(first: 5, providerId: $account) { edges { node { id } } providerErrors { provider { id } code message } } }';

/**
 * `limits.maxAnswerBytesHeld` is one budget for every account. A hostile (or merely slow) OnApp
 * sending answers past it and holding back their last bytes until its own timeout kept every
 * other account's answers paused, a few kilobytes too: the oldest reader, its own, was the only
 * one let on, so a healthy ZStack's reads timed out (PROVIDER_TIMEOUT, counted by its breaker)
 * for as long as the other account liked.
 */
describe('the answer-bytes budget shared by accounts', () => {
  let harness: Harness;
  let front: Server;

  beforeAll(async () => {
    // Every answer: 2 MiB of a JSON array, then nothing more (the socket stays open).
    front = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`["${'x'.repeat(2 * MiB)}`);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['zstack', 'onapp'],
      // Enough virtual machines that ZStack's list answers arrive in more than one socket read.
      simulator: (kind) => (kind === 'zstack' ? { instances: 600 } : {}),
      configure: [
        withLimits({ maxAnswerBytesHeld: 1 * MiB }),
        withProviderSettings({ retries: 0, cacheTtlMs: 0, timeoutMs: 3_000 }),
        withAccountCopy('onapp', { id: 'onapp-stalling', url, retries: 0, cacheTtlMs: 0, timeoutMs: 60_000 }),
      ],
    });
  });
  afterAll(async () => {
    front?.closeAllConnections();
    await harness?.close();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  const bytesHeld = async (): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    return Number(/^backup_graph_upstream_answer_bytes_held (\d+)/m.exec(text)?.[1] ?? 0);
  };

  it("one account's answers past the budget do not hold back another account's reads", async () => {
    const stalled = harness.gql<Instances>(INSTANCES, { account: 'onapp-stalling' });
    await eventually(bytesHeld, (held) => held >= 2 * MiB);

    const healthy = harness.providerId('zstack');
    const answer = await harness.gql<Instances>(INSTANCES, { account: healthy });
    expect(answer.data?.instances.providerErrors).toEqual([]);
    expect(answer.data?.instances.edges.length).toBeGreaterThan(0);

    // The stalling account's own read still ends (here when its provider goes away).
    front.closeAllConnections();
    const cut = await stalled;
    expect(cut.data?.instances.providerErrors.map((error) => error.provider.id)).toEqual(['onapp-stalling']);
    await eventually(bytesHeld, (held) => held === 0);
  }, 30_000);
});
