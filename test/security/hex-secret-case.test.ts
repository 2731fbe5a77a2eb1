import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { SecretSet, sha512Hex } from '../../src/upstream/secrets.js';
import { harnessBehindFront } from '../helpers/front-server.js';
import type { Harness } from '../helpers/harness.js';

describe('a hex secret quoted in the other case is still the secret', () => {
  it('scrubs the SHA-512 that the ZStack login sends, upper-cased, also URL-encoded and behind JSON escapes', () => {
    const secrets = new SecretSet();
    const hash = sha512Hex(ZSTACK_SIM_PASSWORD);
    secrets.add(hash);
    const upper = hash.toUpperCase();
    const escapedFirst = `\\u${upper.charCodeAt(0).toString(16).padStart(4, '0')}`;
    const text = `{"error":{"description":"bad hash ${upper}","q":"h=${encodeURIComponent(upper)}","j":"${escapedFirst}${upper.slice(1)}"}}`;
    const scrubbed = secrets.scrub(text);
    expect(scrubbed).not.toContain(upper.slice(8, 40));
    expect(scrubbed.toLowerCase()).not.toContain(hash.slice(8, 40));
  });

  describe('over the wire', () => {
    let harness: Harness;
    let close: () => Promise<void>;
    /** The sessions the front was sent and quoted back upper-cased. */
    const sessions = new Set<string>();
    /**
     * The ZStack simulator behind a front that answers every VM query with ZStack's error shape
     * quoting the session it was sent upper-cased, as a Java or .NET service writing hex in upper
     * case would; the login and everything else are the simulator's own.
     */
    beforeAll(async () => {
      ({ harness, close } = await harnessBehindFront('zstack', 'zstack-front', (req, res) => {
        const session = /^OAuth (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!session || !req.url?.includes('/vm-instances')) return false;
        sessions.add(session);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'SYS.1006', description: `the operation is not permitted for session ${session.toUpperCase()}` } }));
        return true;
      }));
    });
    afterAll(() => close?.());

    it('keeps a session quoted upper-cased out of answers and logs', async () => {
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>(
        '{ instances(providerId: "zstack-front") { totalCount providerErrors { provider { id } code message } } }',
      );
      expect(answer.data?.instances.providerErrors).toEqual([{ provider: { id: 'zstack-front' }, code: 'PROVIDER_ERROR', message: 'the operation is not permitted for session [redacted]' }]);
      expect(sessions.size).toBeGreaterThan(0);
      const everything = [answer.text, ...harness.logs].join('\n').toUpperCase();
      for (const session of sessions) expect(everything).not.toContain(session.toUpperCase());
    });
  });
});
