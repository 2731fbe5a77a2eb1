import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile Danube front logs the gateway in with a password holding punctuation
 * (`Summer-2026!`), hands it a login token of letters and digits, and quotes that token back in
 * its errors in groups of 4 joined by a dash, slash, dot or colon. The piece search passes over
 * punctuation between two letters or digits only where the secret searched for does not hold it;
 * decided for the account's secrets together, the password's "-" was counted for the token too,
 * and the token in dash groups reached the client and the log whole.
 */
const PASSWORD = 'Summer-2026!';
const TOKEN = 'Hq3vTz8KpW2nLx7RbY4mCd9s';

/** Every 8 characters in a row of `text`. */
const windowsOf = (text: string): string[] => Array.from({ length: text.length - 7 }, (_, start) => text.slice(start, start + 8));

/** `text` with punctuation between two letters or digits taken out, in small letters: a token quoted in groups reads whole so. */
const asJoined = (text: string): string => text.replace(/(?<=[A-Za-z0-9])[!#$&()*,\-./:;<=>?@[\]^_{|}~](?=[A-Za-z0-9])/g, '').toLowerCase();

describe('each secret passes over punctuation it does not hold itself, whatever the account\'s other secrets hold', () => {
  let harness: Harness;
  let front: Server;
  let detail = '';
  const logins: string[] = [];
  const tokensSent: string[] = [];

  beforeAll(async () => {
    front = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if ((req.url ?? '').includes('/accounts/login')) {
          logins.push(Buffer.concat(chunks).toString('utf8'));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ token: TOKEN }));
          return;
        }
        tokensSent.push(String(req.headers.authorization ?? ''));
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail }));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id: 'danube-hostile', url, retries: 0, auth: { username: 'ops', password: PASSWORD } }) });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  async function errorFor(quoted: string): Promise<{ message: string; texts: string[] }> {
    detail = quoted;
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-hostile") { providerErrors { message } } }');
    const message = result.data?.instances.providerErrors[0]?.message ?? '';
    return { message, texts: [result.text, message, ...harness.logs.slice(logsBefore)] };
  }

  it.each(['-', '/', '.', ':'])('redacts the login token quoted in groups of 4 joined by %j, beside a password holding "-" and "!"', async (joiner) => {
    const { message, texts } = await errorFor(`Invalid token ${TOKEN.match(/.{4}/g)?.join(joiner)} for ops`);
    expect(logins.join()).toContain('Summer-2026');
    expect(tokensSent).toContain(`Token ${TOKEN}`);
    expect(message).toContain('Invalid token [redacted] for ops');
    for (const text of texts) expect(windowsOf(TOKEN.toLowerCase()).filter((window) => asJoined(text).includes(window)), text).toEqual([]);
  });

  it('still counts the password\'s own "-": a piece of it is redacted, its words spaced apart are not', async () => {
    const piece = await errorFor(`password ${PASSWORD.slice(1, 11)} expired`);
    expect(piece.message).toContain('password [redacted] expired');
    const words = await errorFor('summer 2026 maintenance');
    expect(words.message).toContain('summer 2026 maintenance');
  });
});
