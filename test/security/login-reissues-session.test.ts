import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessBehindFront } from '../helpers/front-server.js';
import type { Harness } from '../helpers/harness.js';

/**
 * A login that hands out again the session the gateway holds (a provider
 * whose sessions are per user, as Django REST's get_or_create tokens are): the
 * login's answer is scrubbed of the configured secrets only (UpstreamRequest.login).
 * Scrubbed of the held session too, the session read was "[redacted]", and
 * every call after the login was refused.
 */
describe('a login answered with the session the gateway already holds', () => {
  let harness: Harness;
  let close: () => Promise<void>;
  /** The session the gateway's calls carry, as the front last saw it. */
  let held = '';
  let refuseOnce = false;
  let reissue = false;
  let reissued = 0;
  beforeAll(async () => {
    ({ harness, close } = await harnessBehindFront('zstack', 'zstack-front', (req, res) => {
      const session = /^OAuth (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (session) held = session;
      if (reissue && req.method === 'PUT' && req.url?.includes('/accounts/login')) {
        reissued += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ inventory: { uuid: held } }));
        return true;
      }
      // A proxy in front of ZStack refusing the session once: the gateway logs in again.
      if (refuseOnce && session && req.url?.includes('/volume-backups')) {
        refuseOnce = false;
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{}');
        return true;
      }
      return false;
    }));
  });
  afterAll(() => close?.());

  it('keeps using that session, read as sent', async () => {
    const QUERY = '{ instances(providerId: "zstack-front") { edges { node { id backups { id } } } providerErrors { code } } }';
    const warm = await harness.gql(QUERY);
    expect(warm.errors).toBeUndefined();
    expect(held).not.toBe('');
    const session = held;
    refuseOnce = true;
    reissue = true;
    const again = await harness.gql<{ instances: { providerErrors: unknown[] } }>(QUERY);
    expect(refuseOnce).toBe(false);
    expect(reissued).toBe(1);
    expect(again.errors).toBeUndefined();
    expect(again.data?.instances.providerErrors).toEqual([]);
    expect(held).toBe(session);
  });
});
