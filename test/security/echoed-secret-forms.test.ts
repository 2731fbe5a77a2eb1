import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * Secrets holding a quote, quoted back by a hostile provider front in forms other than JSON's
 * escapes: a Python or JavaScript repr (\', \xNN, \u{...}), C's octal, SQL's doubled quote, all in
 * capitals, and (OnApp's Basic pair) base64 of a longer text that holds it at any alignment or
 * holds the header's base64 itself. Each reached the client's error and the log before.
 */
const API_KEY = "Ops'Key-4f9Qx-Tok";
const ONAPP_USER = 'gateway-user';
const ONAPP_PASSWORD = "s3cr3t'Pass-7Qx";
const PAIR = `${ONAPP_USER}:${ONAPP_PASSWORD}`;

const hexEscaped = (text: string): string => [...Buffer.from(text)].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');
const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** What the Danube front says of the key it was sent, per case. */
const DANUBE_QUOTES: Record<string, (key: string) => string> = {
  "Python's repr (\\')": (key) => `invalid api key b'${key.replaceAll("'", "\\'")}'`,
  'hex escapes (\\xNN)': (key) => `invalid api key ${key.replaceAll("'", '\\x27')}`,
  'every byte a hex escape': (key) => `invalid api key ${hexEscaped(key)}`,
  'JavaScript braces (\\u{...})': (key) => `invalid api key ${key.replaceAll("'", '\\u{27}')}`,
  'octal (\\047)': (key) => `invalid api key ${key.replaceAll("'", '\\047')}`,
  "SQL's doubled quote": (key) => `syntax error at or near '${key.replaceAll("'", "''")}'`,
  'all in capitals': (key) => `INVALID API KEY ${key.toUpperCase()}`,
};

/** What the OnApp front says of the Basic header it was sent (`encoded`: the pair's base64), per case. */
const ONAPP_QUOTES: Record<string, (encoded: string) => string> = {
  'the pair inside a longer text, base64 at offset 1': (encoded) => `request ${base64(`u=${Buffer.from(encoded, 'base64').toString()}\n`)}`,
  'the pair inside a longer text, base64 at offset 2': (encoded) => `request ${base64(`id ${Buffer.from(encoded, 'base64').toString()};`)}`,
  'the header base64-encoded again, in a longer text': (encoded) => `request ${base64(`Authorization: Basic ${encoded}\r\n`)}`,
};

type Kind = 'onapp' | 'danube';

describe('a secret quoted back as a repr, SQL or a longer base64 holds it', () => {
  let harness: Harness;
  const fronts: Server[] = [];
  /** What each front says to every request it gets; `sent` is what it saw of the credentials. */
  const answering: Record<Kind, (req: IncomingMessage) => { status: number; body: unknown }> = {
    onapp: () => ({ status: 200, body: [] }),
    danube: () => ({ status: 200, body: {} }),
  };

  const front = async (kind: Kind): Promise<string> => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const { status, body } = answering[kind](req);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    fronts.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const auth: Record<Kind, Record<string, string>> = { onapp: { username: ONAPP_USER, password: ONAPP_PASSWORD }, danube: { apiKey: API_KEY } };
    const kinds = Object.keys(auth) as Kind[];
    const urls = await Promise.all(kinds.map(front));
    harness = await startHarness({
      kinds,
      configure: kinds.map((kind, index) => withAccountCopy(kind, { id: `${kind}-hostile`, url: urls[index], retries: 0, auth: auth[kind] })),
    });
  });
  afterAll(async () => {
    await harness?.close();
    for (const server of fronts) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  /** Each text, read as a reader of the message would (JSON's escapes once), holds none of `forms`. */
  const expectNone = (texts: readonly string[], forms: readonly string[]): void => {
    for (const text of texts) for (const form of forms) expect(text.replaceAll("\\'", "'").replaceAll('\\\\', '\\')).not.toContain(form);
  };

  const ask = async (kind: Kind) => {
    const logsBefore = harness.logs.length;
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(
      `{ instances(providerId: "${kind}-hostile") { totalCount providerErrors { code message } } }`,
    );
    return { answer, logs: harness.logs.slice(logsBefore) };
  };

  for (const [how, quote] of Object.entries(DANUBE_QUOTES)) {
    it(`danube: an API key quoted as ${how} reaches neither the client nor the log`, async () => {
      const sent: string[] = [];
      answering.danube = (req) => {
        const key = String(req.headers['es-api-key'] ?? '');
        sent.push(key);
        return { status: 400, body: { detail: quote(key) } };
      };
      const { answer, logs } = await ask('danube');
      expect(sent).toContain(API_KEY);
      const message = answer.data?.instances.providerErrors[0]?.message ?? '';
      expect(message).toContain('[redacted]');
      const texts = [answer.text, message, ...logs];
      expectNone(texts, [API_KEY, API_KEY.toUpperCase(), quote(API_KEY).split(' ').at(-1) as string, 'Key-4f9Qx-Tok'.toUpperCase(), 'Key-4f9Qx-Tok']);
    });
  }

  for (const [how, quote] of Object.entries(ONAPP_QUOTES)) {
    it(`onapp: the Basic pair quoted as ${how} reaches neither the client nor the log`, async () => {
      const sent: string[] = [];
      answering.onapp = (req) => {
        const encoded = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        sent.push(encoded);
        return { status: 422, body: { errors: [quote(encoded)] } };
      };
      const { answer, logs } = await ask('onapp');
      expect(sent).toContain(base64(PAIR));
      const message = answer.data?.instances.providerErrors[0]?.message ?? '';
      expect(message).toContain('[redacted]');
      // Whatever base64 the message still holds, decoded (once and twice) at each alignment, says nothing of the password.
      for (const text of [answer.text, message, ...logs]) {
        for (const run of text.match(/[A-Za-z0-9+/]{8,}/g) ?? []) {
          for (const start of [0, 1, 2, 3]) {
            const once = Buffer.from(run.slice(start), 'base64').toString('latin1');
            expect(once).not.toContain(ONAPP_PASSWORD.slice(0, 8));
            for (const inner of once.match(/[A-Za-z0-9+/]{8,}/g) ?? []) for (const at of [0, 1, 2, 3]) expect(Buffer.from(inner.slice(at), 'base64').toString('latin1')).not.toContain(ONAPP_PASSWORD.slice(0, 8));
          }
        }
      }
    });
  }
});
