import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * Hostile OnApp fronts quote the password they were sent back in an error, with whitespace or an
 * invisible character inside it escaped one level deeper than the scrubber read (`&amp;nbsp;`,
 * `&#x26;shy;`, `%252500`, `%5Cx00`: a backslash escape inside a URL), an invisible character in
 * place of the space between a multi-word password's words, or raw whitespace past ASCII inside a
 * password of letters and digits. Each reached the client's error and the log whole or but for the
 * hole. The escapes stand in JSON strings as JSON carries them.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const WORDS = 'correct horse battery';
const ONAPP_USER = 'gateway-user';

/** What stands inside the mixed password: escapes nested deeper, and raw whitespace past ASCII. */
const INSIDE_MIXED = ['&amp;nbsp;', '&ampnbsp;', '&#x26;shy;', '&#38;#8203;', '&amp;amp;zwnj;', '%252520', '%252500', '%2525E2%252580%25258B', '%2520', '%5Cx00', '%5Cx20', '%5Cu200b', '%5Cxe2%5Cx80%5Cx8b', '\u00a0', '\u2007', '\u202f', '\u3000'];
/** What stands in place of the space between the multi-word password's first two words. */
const BETWEEN_WORDS = ['\u200b', '\u00ad', '\u2060', '&#8203;', '&shy;', '\\u200b', '\\\\x00', '%E2%80%8B', '&amp;shy;'];

/** `text` with every escape, whitespace and punctuation taken out and in small letters: whatever of a secret a reader could put together from it. */
function asRead(text: string): string {
  let read = text;
  for (let reading = 0; reading < 3; reading++) read = read.replace(/&[#a-zA-Z0-9]+;?/g, '').replace(/\\+(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[bfnrt])/g, '').replace(/%(?:25)*(?:5[cC](?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})|[0-9a-fA-F]{2})/g, '');
  return read.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

/** What of `secret` `texts` show as read: any 7 characters of the mixed one in a row, or two of the multi-word one's words together. */
function shown(texts: readonly string[], secret: string): string[] {
  const windows = secret === MIXED ? Array.from({ length: MIXED.length - 6 }, (_, start) => MIXED.slice(start, start + 7).toLowerCase()) : ['correcthorse', 'horsebattery'];
  return windows.filter((window) => texts.some((text) => asRead(text).includes(window)));
}

describe('a password quoted back in an error with whitespace or an invisible character inside it, escaped deeper or raw', () => {
  let harness: Harness;
  const fronts: Server[] = [];
  type Front = 'mixed' | 'words';
  const answering: Record<Front, { status: number; body: string }> = { mixed: { status: 200, body: '[]' }, words: { status: 200, body: '[]' } };

  const front = async (name: Front): Promise<string> => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answering[name].status, { 'content-type': 'application/json' });
        res.end(answering[name].body);
      });
    });
    fronts.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const [mixedUrl, wordsUrl] = [await front('mixed'), await front('words')];
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withAccountCopy('onapp', { id: 'onapp-mixed', url: mixedUrl, retries: 0, auth: { username: ONAPP_USER, password: MIXED } }),
        withAccountCopy('onapp', { id: 'onapp-words', url: wordsUrl, retries: 0, auth: { username: ONAPP_USER, password: WORDS } }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
    for (const server of fronts) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  /** The error a front answers with: the client's provider error message, and all the client and the log were shown. */
  const failed = async (account: 'onapp-mixed' | 'onapp-words', quoted: string): Promise<{ message: string; texts: string[] }> => {
    answering[account === 'onapp-mixed' ? 'mixed' : 'words'] = { status: 422, body: JSON.stringify({ errors: [`Invalid password ${quoted}`] }) };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>(`{ instances(providerId: "${account}") { providerErrors { message } } }`);
    const message = result.data?.instances.providerErrors[0]?.message ?? '';
    return { message, texts: [result.text, message, ...harness.logs.slice(logsBefore)] };
  };

  it('a mixed password with them inside reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const inside of INSIDE_MIXED) {
      const { message, texts } = await failed('onapp-mixed', `${MIXED.slice(0, 7)}${inside}${MIXED.slice(7)}`);
      if (message !== 'Invalid password [redacted]' || shown(texts, MIXED).length > 0) leaks.push(`${JSON.stringify(inside)}: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a multi-word password with an invisible character for a space reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const between of BETWEEN_WORDS) {
      const { message, texts } = await failed('onapp-words', `correct${between}horse battery`);
      if (message !== 'Invalid password [redacted]' || shown(texts, WORDS).length > 0) leaks.push(`${JSON.stringify(between)}: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves those escapes alone in an error that holds no secret', async () => {
    const { message } = await failed('onapp-mixed', 'a&amp;nbsp;b %252500 %5Cx00 Dnb7%5Cx20Kq8');
    expect(message).toBe('Invalid password a&amp;nbsp;b %252500 %5Cx00 Dnb7%5Cx20Kq8');
  });
});
