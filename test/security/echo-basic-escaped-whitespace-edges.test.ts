import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

const USER = 'gateway-user';
/** The pair `USER:password` is 0, 1 and 2 bytes past a multiple of 3 (no padding, "==", "="). */
const PASSWORDS = ['Zq8rT5wLm2Xc9V', 'Zq8rT5wLm2Xc9Vb', 'Zq8rT5wLm2Xc9VbN'];
/** Whitespace written as an escape, as a provider's text may carry it: a backslash's, a URL's, and JSON's own newline; a form feed and a vertical tab too. */
const JOINERS = ['\\n', '\\t', '%0A', '%20', '\r\n', '\\f', '\\v', '%0B', '%0c'];
/** How many of the pair's base64 characters hold bits of "user:" alone. */
const USER_ONLY = Math.floor(((USER.length + 1) * 8) / 6);
const JOINER_TEXT = /\\[nrtfv]|%0[9a-d]|%20|\s/gi;

const cutEvery = (text: string, size: number, between: string): string => text.match(new RegExp(`.{1,${size}}`, 'g'))!.join(between);

/**
 * A provider quoting the account's Basic header with its base64 cut by whitespace written as an
 * escape (`\n`, `\t`, `%0A`, `%20`, or JSON's `\r\n`) had the pieces of the password's base64
 * redacted, but the character beside each end that holds bits of the password and of what is
 * around it stayed: `yOl[redacted]g==`, 4 bits of the password's first character, 2 of its last,
 * and by the padding the pair's length mod 3, as `-` and `\u002d` did before the base64 edges.
 */
describe('a Basic header cut by escaped whitespace leaves no base64 character of the password beside the redaction', () => {
  let harness: Harness;
  let front: Server;
  let quote: (encoded: string) => string = (encoded) => encoded;

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const encoded = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [`auth ${quote(encoded)}`] }));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['onapp'],
      configure: PASSWORDS.map((password, index) => withAccountCopy('onapp', { id: `onapp-hostile-${index}`, url, retries: 0, auth: { username: USER, password } })),
    });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  for (const [index, password] of PASSWORDS.entries()) {
    for (const between of JOINERS) {
      const mod = (USER.length + 1 + password.length) % 3;
      it(`pair length mod 3 = ${mod}, cut every 5 characters by ${JSON.stringify(between)}`, async () => {
        const header = Buffer.from(`${USER}:${password}`).toString('base64');
        quote = (encoded) => cutEvery(encoded, 5, between);
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>(`{ instances(providerId: "onapp-hostile-${index}") { totalCount providerErrors { message } } }`);
        const message = answer.data?.instances.providerErrors[0]?.message ?? '';
        expect(message).toContain('[redacted]');
        const [before = '', after = ''] = message.replace(/^auth /, '').split('[redacted]');
        const shownBefore = before.replace(JOINER_TEXT, '');
        // Before it only characters of "user:" alone; after it nothing of the base64 or its padding.
        expect(header.startsWith(shownBefore)).toBe(true);
        expect(shownBefore.length).toBeLessThanOrEqual(USER_ONLY);
        expect(after.replace(JOINER_TEXT, '')).toBe('');
      });
    }
  }
});
