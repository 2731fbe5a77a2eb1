import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SESSION_LENGTH } from '../../src/upstream/session.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

type Instances = { instances: { edges: unknown[]; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } };
const INSTANCES = 'query($account: ID) { instances(first: 5, providerId: $account) { edges { node { id } } providerErrors { provider { id } code message } } }';

/**
 * A hostile ZStack's login hands out the session it likes, and the gateway looks for every
 * session in every answer of the account, in lookalike letters too (lookalike-secrets.ts):
 * one of 16 KiB made a pattern that did not compile, so every answer's scrub threw, and one
 * of words of "+" ("+ + + + + x") backtracked through every split of a run of "+" in an
 * answer, holding the event loop 11 s for a run of 100, minutes for 200.
 */
describe('a hostile provider choosing its own session', () => {
  let harness: Harness;
  let front: Server;
/** The session each account's login hands out, and what its other answers carry, by the account's path on the front. */
  const SESSIONS: Record<string, { session: string; padding: string }> = {
    long: { session: 'a'.repeat(16 * 1024), padding: '' },
    plus: { session: '+ + + + + x', padding: '+'.repeat(100) },
  };

  beforeAll(async () => {
    // Headers as long as the session: the gateway sends it back in each request's Authorization.
    front = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const [, account = '', ...rest] = (req.url ?? '').split('/');
        const { session, padding } = SESSIONS[account] ?? { session: '', padding: '' };
        res.end(`/${rest.join('/')}`.startsWith('/zstack/v1/accounts/login') ? JSON.stringify({ inventory: { uuid: session } }) : JSON.stringify({ inventories: [], note: padding }));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['zstack'],
      configure: [withAccountCopy('zstack', { id: 'zstack-long-session', url: `${url}/long`, retries: 0, cacheTtlMs: 0 }), withAccountCopy('zstack', { id: 'zstack-plus-session', url: `${url}/plus`, retries: 0, cacheTtlMs: 0 })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  });

  const errorsOf = async (account: string) => {
    // One account at a time: each logs in on its first read.
    const answer = await harness.gql<Instances>(INSTANCES, { account });
    expect(answer.status).toBe(200);
    return answer.data!.instances.providerErrors.filter((error) => error.provider.id === account);
  };

  it('a session longer than MAX_SESSION_LENGTH is refused as the provider\'s error', async () => {
    const errors = await errorsOf('zstack-long-session');
    expect(errors).toEqual([
      { provider: { id: 'zstack-long-session' }, code: 'PROVIDER_ERROR', message: `provider zstack-long-session handed out a session of ${16 * 1024} characters at login (at most ${MAX_SESSION_LENGTH} are taken)` },
    ]);
  });

  it('a session of words of "+" is looked for in an answer full of "+" in no time', async () => {
    const started = performance.now();
    expect(await errorsOf('zstack-plus-session')).toEqual([]);
    // A hang guard, loose for a loaded machine: before, some 11 s for these 100 "+", two minutes and more for 200.
    const tookMs = performance.now() - started;
    expect(tookMs, `the answer full of "+" took ${Math.round(tookMs)} ms to scrub: the session's "+" junction backtracks again`).toBeLessThan(6_000);
  }, 60_000);
});
