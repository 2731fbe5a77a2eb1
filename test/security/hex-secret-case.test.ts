import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { SecretSet, sha512Hex } from '../../src/upstream/secrets.js';
import { type Harness, startHarness, withAccountCopy } from '../helpers/harness.js';

/** Headers the proxying fetch sets itself. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * The ZStack simulator behind a front that answers every VM query with ZStack's error shape
 * quoting the session it was sent upper-cased, as a Java or .NET service writing hex in upper
 * case would; the login and everything else are the simulator's own. `sessions` collects the
 * sessions it was sent.
 */
async function upperCasingFront(target: () => string): Promise<{ server: Server; url: string; sessions: Set<string> }> {
  const sessions = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const session = /^OAuth (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (session && req.url?.includes('/vm-instances')) {
        sessions.add(session);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'SYS.1006', description: `the operation is not permitted for session ${session.toUpperCase()}` } }));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_HEADERS.has(entry[0])));
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target()}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) }).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sessions };
}

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
    let front: Awaited<ReturnType<typeof upperCasingFront>>;
    beforeAll(async () => {
      let simulatorUrl = '';
      front = await upperCasingFront(() => simulatorUrl);
      harness = await startHarness({ kinds: ['zstack'], configure: withAccountCopy('zstack', { id: 'zstack-front', url: front.url }) });
      simulatorUrl = harness.simulator('zstack').url;
    });
    afterAll(async () => {
      await harness.close();
      front.server.close();
    });

    it('keeps a session quoted upper-cased out of answers and logs', async () => {
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> } }>(
        '{ instances(providerId: "zstack-front") { totalCount providerErrors { provider { id } code message } } }',
      );
      expect(answer.data?.instances.providerErrors).toEqual([{ provider: { id: 'zstack-front' }, code: 'PROVIDER_ERROR', message: 'the operation is not permitted for session [redacted]' }]);
      expect(front.sessions.size).toBeGreaterThan(0);
      const everything = [answer.text, ...harness.logs].join('\n').toUpperCase();
      for (const session of front.sessions) expect(everything).not.toContain(session.toUpperCase());
    });
  });
});
