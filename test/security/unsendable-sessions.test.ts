import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

type Instances = { instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } };
const INSTANCES = 'query($account: ID) { instances(first: 5, providerId: $account) { edges { node { id } } providerErrors { provider { id } code message } } }';
const GOOD_SESSION = 'a7c1e0d2b3f44e5a9c8d7e6f5a4b3c2d';

/**
 * A hostile (or broken) ZStack's first login hands out a session no HTTP header can carry
 * (a line break, a NUL, a character past Latin-1). undici refused each request sent with it
 * before a byte went out, which read as a provider that cannot be reached; and since no answer
 * ever said the session was dead, it was kept: the account answered "unreachable" until the
 * gateway restarted, though its next login would have handed out a good session.
 */
describe('a login handing out a session no header can carry', () => {
  let harness: Harness;
  let front: Server;
  const BAD_SESSIONS: Record<string, string> = { crlf: 'abcdefgh\r\nX-Injected: 1', nul: 'abcdefgh\u0000ijkl', wide: 'session\u4e00uuid' };
  const logins: Record<string, number> = {};

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [, account = '', ...rest] = (req.url ?? '').split('/');
        res.writeHead(200, { 'content-type': 'application/json' });
        if (!`/${rest.join('/')}`.startsWith('/zstack/v1/accounts/login')) return res.end(JSON.stringify({ inventories: [] }));
        logins[account] = (logins[account] ?? 0) + 1;
        res.end(JSON.stringify({ inventory: { uuid: logins[account] === 1 ? BAD_SESSIONS[account] : GOOD_SESSION } }));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['zstack'],
      configure: Object.keys(BAD_SESSIONS).map((name) => withAccountCopy('zstack', { id: `zstack-${name}`, url: `${url}/${name}`, retries: 0, cacheTtlMs: 0 })),
    });
  });
  afterAll(async () => {
    await harness?.close();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  });

  const errorsOf = async (account: string) => {
    const answer = await harness.gql<Instances>(INSTANCES, { account });
    expect(answer.status).toBe(200);
    return answer.data!.instances.providerErrors;
  };

  for (const name of ['crlf', 'nul', 'wide']) {
    it(`${name}: the provider's error, and the next request logs in again`, async () => {
      const account = `zstack-${name}`;
      expect(await errorsOf(account)).toEqual([
        { provider: { id: account }, code: 'PROVIDER_ERROR', message: `provider ${account} handed out a session with characters an HTTP header cannot carry (at login)` },
      ]);
      expect(await errorsOf(account)).toEqual([]);
      expect(logins[name]).toBe(2);
    });
  }
});
