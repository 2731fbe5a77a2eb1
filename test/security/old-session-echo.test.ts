import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { harnessBehindFront } from '../helpers/front-server.js';
import type { Harness } from '../helpers/harness.js';

/**
 * A login forgot the sessions before it (so its own answer could hand out the same one again),
 * while requests sent with them were still waiting for their answers: a provider quoting the old
 * session in one of those answers reached the client and the log with it.
 */
describe('an answer quoting a session that a login has replaced meanwhile', () => {
  let harness: Harness;
  let close: () => Promise<void>;
  /** Backup-list requests the front holds unanswered, each with the session it carried. */
  const held: Array<{ res: ServerResponse; session: string }> = [];
  let holding = false;
  let firstHeld: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (firstHeld = resolve));

  beforeAll(async () => {
    ({ harness, close } = await harnessBehindFront('zstack', 'zstack-front', (req, res) => {
      const session = /^OAuth (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!holding || !session || !req.url?.includes('/volume-backups')) return false;
      held.push({ res, session });
      firstHeld();
      return true;
    }));
  });
  afterAll(() => close?.());

  it('is scrubbed of the old session, in the answer and the log', async () => {
    const QUERY = '{ instances(providerId: "zstack-front") { edges { node { id backups { id } } } } }';
    const warm = await harness.gql(QUERY);
    expect(warm.errors).toBeUndefined();

    holding = true;
    const slow = harness.gql(QUERY);
    await arrived;
    // The session dies at the management node; the next call is refused and the gateway logs in again.
    const zstack = harness.simulator('zstack').simulator as ZstackSimulator;
    const loginsBefore = zstack.logins;
    zstack.expireSessions();
    const fresh = await harness.gql<{ instances: { totalCount: number; providerErrors: unknown[] } }>(
      '{ instances(providerId: "zstack-front") { totalCount providerErrors { code } } }',
    );
    expect(fresh.data?.instances.providerErrors).toEqual([]);
    expect(zstack.logins).toBeGreaterThan(loginsBefore);

    // Now the held answers come, each quoting the session its request was sent with.
    holding = false;
    const oldSessions = new Set(held.map((request) => request.session));
    for (const { res, session } of held) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'SYS.1006', description: `the operation is not permitted for session ${session}` } }));
    }
    const answer = await slow;
    expect(answer.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
    expect(answer.errors?.[0]?.message).toContain('[redacted]');
    const everything = [answer.text, ...harness.logs].join('\n');
    for (const session of oldSessions) expect(everything).not.toContain(session);
  });
});
