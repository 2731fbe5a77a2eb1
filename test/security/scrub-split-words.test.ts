import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile Danube front quotes an API key of small letters only back split into words or
 * lines. The piece search leaves runs of small letters alone (they are words), and no whole form
 * held the spaces: the key reached the client's error and the log as "correct horse battery staple".
 */
const API_KEY = 'correcthorsebatterystaple';
const SPLIT = 'correct horse battery staple';

describe('an API key of small letters quoted back split into words', () => {
  let harness: Harness;
  let front: Server;
  let answer = '{}';

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id: 'danube-words', url, retries: 0, auth: { apiKey: API_KEY } }) });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  for (const [how, quoted] of [
    ['with spaces', SPLIT],
    ['across lines', SPLIT.replaceAll(' ', '\n')],
    ['with tabs and runs of spaces', 'correct\t\thorse   battery \tstaple'],
  ] as const) {
    it(`reaches neither the client nor the log ${how}`, async () => {
      answer = JSON.stringify({ detail: `Invalid API key ${quoted}` });
      const logsBefore = harness.logs.length;
      const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-words") { providerErrors { message } } }');
      const message = result.data?.instances.providerErrors[0]?.message ?? '';
      expect(message).toContain('[redacted]');
      for (const text of [result.text, ...harness.logs.slice(logsBefore)]) expect(text.replace(/\\[nrt]|\s+/g, ' ')).not.toContain('horse battery');
    });
  }

  it('leaves its words alone in another order', async () => {
    answer = JSON.stringify({ detail: 'the horse battery staple is not correct' });
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-words") { providerErrors { message } } }');
    expect(result.data?.instances.providerErrors[0]?.message).toContain('the horse battery staple is not correct');
  });
});
