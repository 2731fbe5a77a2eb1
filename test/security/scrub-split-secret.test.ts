import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile Danube front quotes the API key it was sent back in its error split so that no whole
 * form of it matches: a space, a newline or a quote put inside it, URL-encoded with an encoded
 * space inside, in base64, in two halves in two fields (the gateway joins them into the
 * failure's message), letter by letter with spaces, only a 10-character piece of it, or in pieces
 * of 7 or fewer between double quotes (a quote between two letters or digits ends no JSON string,
 * and is passed over since; pieces of 7 beside one reached the client before), or in groups of 4
 * joined by a dash, slash, dot, colon, comma or at sign, or with a dash before its last 3 (each
 * group, and the 3, reached the client before punctuation the key does not hold was passed over
 * between two letters or digits). Before
 * the scrubber looked for pieces (src/upstream/secret-pieces.ts) each reached the client's error
 * and the log.
 */
const API_KEY = 'Dnb7Kq8Rw2Zx4LmT';
const [HEAD, TAIL] = [API_KEY.slice(0, 7), API_KEY.slice(7)];

const QUOTES: Record<string, (key: string) => string> = {
  'with a space inside': (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(0, 7)} ${key.slice(7)}` }),
  'with a newline inside': (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(0, 7)}\n${key.slice(7)}` }),
  'with quotes inside': (key) => JSON.stringify({ detail: `Invalid API key '${key.slice(0, 7)}'"${key.slice(7)}"` }),
  'URL-encoded with an encoded space inside': (key) => JSON.stringify({ detail: `GET /api/vm?key=${key.slice(0, 7)}%20${key.slice(7)} refused` }),
  'URL-encoded with an encoded quote inside, in other case': (key) => JSON.stringify({ detail: `GET /api/vm?key=${key.slice(0, 7).toUpperCase()}%22${key.slice(7).toLowerCase()} refused` }),
  'in base64': (key) => JSON.stringify({ detail: `Invalid credential ${Buffer.from(key).toString('base64')}` }),
  'in base64 after other bytes': (key) => JSON.stringify({ detail: `Invalid credential ${Buffer.from(`key=${key}`).toString('base64')}` }),
  'in two halves in two fields': (key) => JSON.stringify({ key_start: key.slice(0, 7), key_end: key.slice(7) }),
  'letter by letter with spaces': (key) => JSON.stringify({ detail: `Invalid API key ${[...key].join(' ')}` }),
  'as a 10-character piece only': (key) => JSON.stringify({ detail: `key ...${key.slice(3, 13)}... revoked` }),
  'split by a quote into two pieces of 7': (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(1, 8)}"${key.slice(8, 15)}` }),
  'split by two quotes into pieces of 5, 5 and 6': (key) => JSON.stringify({ detail: `Invalid API key "${key.slice(0, 5)}"${key.slice(5, 10)}"${key.slice(10)}"` }),
  'in groups of 4 with dashes': (key) => JSON.stringify({ detail: `Invalid API key ${key.match(/.{4}/g)?.join('-')}` }),
  'in groups of 4 with slashes, dots and colons': (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(0, 4)}/${key.slice(4, 8)}.${key.slice(8, 12)}:${key.slice(12)}` }),
  'in groups of 4 with commas and an at sign': (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(0, 4)},${key.slice(4, 8)}@${key.slice(8, 12)},${key.slice(12)}` }),
};

/** Every MIN_PIECE_LENGTH (8) characters in a row of `text`. */
const windowsOf = (text: string): string[] => Array.from({ length: text.length - 7 }, (_, start) => text.slice(start, start + 8));

/** Base64 runs of 12 or more characters in `text`, decoded. */
const base64Decoded = (text: string): string => [...text.matchAll(/[A-Za-z0-9+/]{12,}/g)].map(([run]) => Buffer.from(run, 'base64').toString('latin1')).join(' ');

/** `text` as a reader could put it together: URL-decoded, JSON escapes read, base64 runs decoded beside it, whitespace, quotes and punctuation between letters taken out, small letters. */
function asJoined(text: string): string {
  let read = text.replace(/\\[nrt"']/g, ' ').replace(/%[0-9a-f]{2}/gi, (escape) => (/^%(20|0a|22|27)$/i.test(escape) ? ' ' : escape));
  read = `${read} ${base64Decoded(read)}`;
  // Punctuation between two letters or digits taken out too: a key quoted in groups (`Dnb7-Kq8R`) reads whole so.
  return read.replace(/(?<=[A-Za-z0-9])[!#$&()*,\-./:;<=>?@[\]^_{|}~](?=[A-Za-z0-9])/g, '').replace(/[\s"'`+]/g, '').toLowerCase();
}

describe('a secret quoted back split: spaces, quotes or escapes inside, base64, halves, a piece', () => {
  let harness: Harness;
  let front: Server;
  let answer: (key: string) => string = () => '{}';
  const sent: string[] = [];

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const key = String(req.headers['es-api-key'] ?? '');
        sent.push(key);
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(answer(key));
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id: 'danube-hostile', url, retries: 0, auth: { apiKey: API_KEY } }) });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  for (const [how, quote] of Object.entries(QUOTES)) {
    it(`danube: an API key quoted ${how} reaches neither the client nor the log, nor any 8 characters of it`, async () => {
      answer = quote;
      sent.length = 0;
      const logsBefore = harness.logs.length;
      const result = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(
        '{ instances(providerId: "danube-hostile") { totalCount providerErrors { code message } } }',
      );
      expect(sent).toContain(API_KEY);
      const message = result.data?.instances.providerErrors[0]?.message ?? '';
      expect(message).toContain('[redacted]');
      for (const text of [result.text, message, ...harness.logs.slice(logsBefore)]) {
        const joined = asJoined(text);
        const leaked = windowsOf(API_KEY.toLowerCase()).filter((window) => joined.includes(window));
        expect(leaked, text).toEqual([]);
      }
    });
  }

  it('leaves none of the key after a dash, slash or colon beside its redaction (its last 3 reached the client before)', async () => {
    for (const joiner of ['-', '/', ':']) {
      answer = (key) => JSON.stringify({ detail: `Invalid API key ${key.slice(0, 13)}${joiner}${key.slice(13)} refused` });
      const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-hostile") { providerErrors { message } } }');
      const message = result.data?.instances.providerErrors[0]?.message ?? '';
      expect(message).toContain('Invalid API key [redacted] refused');
      expect(result.text).not.toContain(API_KEY.slice(13));
    }
  });

  it('leaves words that share fewer than 8 characters with the key alone', async () => {
    answer = () => JSON.stringify({ detail: `Invalid API key ${HEAD}-x-${TAIL.slice(0, 7)}` });
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-hostile") { providerErrors { message } } }');
    expect(result.data?.instances.providerErrors[0]?.message).toContain(`${HEAD}-x-${TAIL.slice(0, 7)}`);
  });
});
