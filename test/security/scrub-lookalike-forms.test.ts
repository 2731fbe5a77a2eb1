import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * An API key quoted back by a hostile Danube front in letters that read as its own: in another
 * mix of case, full-width (as an East Asian locale writes it), and those behind HTML references,
 * percent-encoding or JSON's \u escapes. Each reached the client's error and the log before the
 * scrubber looked for lookalike letters. The last cases (letters as `&#x61;`, `&amp;#39;`,
 * percent-encoded letters) were already found: they stay found.
 */
const API_KEY = "Ops'Key-4f9Qx-Tok";

const fullWidth = (text: string): string => [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
const swappedCase = (text: string): string => [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
const htmlHex = (text: string): string => [...text].map((char) => `&#x${(char.codePointAt(0) as number).toString(16).toUpperCase()};`).join('');
/** JSON with every character past ASCII as a \u escape, as PHP's json_encode writes it. */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What the Danube front answers (a JSON text) when sent `key`, per case. */
const QUOTES: Record<string, (key: string) => string> = {
  'in mixed case': (key) => JSON.stringify({ detail: `Invalid API key ${swappedCase(key)}` }),
  'capitalised, as the first word of a message': (key) => JSON.stringify({ detail: `${key[0]?.toUpperCase()}${key.slice(1).toLowerCase()} is not a valid API key` }),
  'in mixed case, its quote an HTML reference': (key) => JSON.stringify({ detail: `Invalid API key ${swappedCase(key).replaceAll("'", '&#39;')}` }),
  'in full-width letters': (key) => JSON.stringify({ detail: `無効なAPIキー: ${fullWidth(key)}` }),
  'in full-width capitals': (key) => JSON.stringify({ detail: `無効なAPIキー: ${fullWidth(key.toUpperCase())}` }),
  'in full-width letters behind JSON \\u escapes (PHP)': (key) => asciiJson({ detail: `無効なAPIキー: ${fullWidth(key)}` }),
  'in full-width letters as HTML hex references': (key) => JSON.stringify({ detail: `invalid key ${htmlHex(fullWidth(key))}` }),
  'in full-width letters, percent-encoded': (key) => JSON.stringify({ detail: `GET /api/vms?key=${encodeURIComponent(fullWidth(key))} refused` }),
  'as HTML hex references of its letters (already found)': (key) => JSON.stringify({ detail: `invalid key ${htmlHex(key)}` }),
  'with its quote HTML-escaped twice, &amp;#39; (already found)': (key) => JSON.stringify({ detail: `invalid key ${key.replaceAll("'", '&amp;#39;')}` }),
  'percent-encoded letter by letter (already found)': (key) => JSON.stringify({ detail: `invalid key ${[...Buffer.from(key)].map((byte) => `%${byte.toString(16)}`).join('')}` }),
};

/**
 * `text` as a reader of it could see it: escapes read (HTML references, percent-encoding, JSON's
 * \u) up to three times, NFKC-normalised, in small letters.
 */
function asRead(text: string): string {
  let read = text;
  for (let pass = 0; pass < 3; pass++) {
    read = read
      .replace(/&#x([0-9a-f]+);?/gi, (_escape, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&#(\d+);?/g, (_escape, decimal: string) => String.fromCodePoint(parseInt(decimal, 10)))
      .replaceAll('&amp;', '&')
      .replace(/\\u([0-9a-f]{4})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
        try {
          return decodeURIComponent(run);
        } catch {
          return run;
        }
      });
  }
  return read.normalize('NFKC').toLowerCase();
}

describe('a secret quoted back in lookalike letters: other case, full-width, behind escapes', () => {
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
    it(`danube: an API key quoted ${how} reaches neither the client nor the log`, async () => {
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
        const read = asRead(text);
        expect(read).not.toContain(API_KEY.toLowerCase());
        expect(read).not.toContain('key-4f9qx-tok');
      }
    });
  }
});
