import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * Hostile provider fronts quote the secret they were sent back with whitespace or an invisible
 * character inside it written in an escape the scrubber did not read: a Python repr's `\x20` or
 * `\xe2\x80\x8b`, JavaScript's `\u{20}`, HTML's `&nbsp;`, `&#8203;` or `&shy;`, a URL's
 * `%E2%80%AF` or `%25E2%2580%258B` (encoded twice). Each went out in a VM's name, its raw record,
 * the client's error or the log, whole or but for the hole. The escapes stand in JSON strings as
 * JSON carries them (`\\x20`: a string holding the literal).
 */
const LETTERS = 'nightowlpassword';
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const ONAPP_USER = 'gateway-user';

/** Whitespace as escapes write it, and what a provider puts it in: a Python literal, JavaScript's, HTML, a URL. */
const ESCAPED_SPACES = ['\\x20', '\\xa0', '\\xc2\\xa0', '\\xe2\\x80\\xaf', '\\u{20}', '\\u{a0}', '\\u{202f}', '&nbsp;', '&#32;', '&#x20;', '&#160;', '&#8239;', '&ensp;', '&NewLine;', '%E2%80%AF', '%e2%80%af'];

/** Invisible characters as escapes write them. */
const ESCAPED_INVISIBLES = ['&#8203;', '&#x200B;', '&#173;', '&#1;', '&zwnj;', '&zwj;', '&shy;', '&lrm;', '&ZeroWidthSpace;', '\\x00', '\\x1b', '\\xad', '\\xc2\\xad', '\\xe2\\x80\\x8b', '\\xef\\xbb\\xbf', '\\u{200b}', '%25E2%2580%258B', '%2500', '%25C2%25AD'];

/**
 * `text` with every escape, whitespace and punctuation taken out and in small letters: whatever
 * of a secret a reader could put together from it, escapes and holes skipped.
 */
function asRead(text: string): string {
  return text
    .replace(/&[#a-zA-Z0-9]+;?/g, '')
    .replace(/\\+(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[bfnrt])/g, '')
    .replace(/(?:%25|%)[0-9a-fA-F]{2}/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** The windows of `secret` (10 letters of the letters-only one, 7 of the mixed one: a word has none) any of `texts` shows, as read. */
function shown(texts: readonly string[], secret: string): string[] {
  const length = secret === MIXED ? 7 : 10;
  const windows = Array.from({ length: secret.length - length + 1 }, (_, start) => secret.slice(start, start + length).toLowerCase());
  return windows.filter((window) => texts.some((text) => asRead(text).includes(window)));
}

describe('a secret quoted back with whitespace or an invisible character inside it, escaped in a way the scrubber did not read', () => {
  let harness: Harness;
  const fronts: Server[] = [];
  type Front = 'danube' | 'onappLetters' | 'onappMixed';
  /** What each front answers (status, raw body text) to every request. */
  const answering: Record<Front, { status: number; body: string }> = {
    danube: { status: 200, body: '{}' },
    onappLetters: { status: 200, body: '[]' },
    onappMixed: { status: 200, body: '[]' },
  };

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
    const [danubeUrl, lettersUrl, mixedUrl] = [await front('danube'), await front('onappLetters'), await front('onappMixed')];
    harness = await startHarness({
      kinds: ['danube', 'onapp'],
      configure: [
        withAccountCopy('danube', { id: 'danube-escapes', url: danubeUrl, retries: 0, auth: { apiKey: LETTERS } }),
        withAccountCopy('onapp', { id: 'onapp-letters', url: lettersUrl, retries: 0, auth: { username: ONAPP_USER, password: LETTERS } }),
        withAccountCopy('onapp', { id: 'onapp-mixed', url: mixedUrl, retries: 0, auth: { username: ONAPP_USER, password: MIXED } }),
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

  /** An OnApp front's VM list with one VM labelled `label`: its name and raw label as the client got them, and all the client and the log were shown. */
  const labelled = async (account: 'onapp-letters' | 'onapp-mixed', label: string): Promise<{ name: string; rawLabel: unknown; texts: string[] }> => {
    answering[account === 'onapp-letters' ? 'onappLetters' : 'onappMixed'] = {
      status: 200,
      body: JSON.stringify([{ virtual_machine: { id: 7, identifier: 'vm7', label, hostname: 'vm7.example', booted: true } }]),
    };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }> } }>(
      `{ instances(providerId: "${account}") { edges { node { name raw } } providerErrors { message } } }`,
    );
    const node = result.data?.instances.edges[0]?.node;
    return { name: node?.name ?? '', rawLabel: node?.raw.label, texts: [result.text, ...harness.logs.slice(logsBefore)] };
  };

  /** The error `body` a front answers with `status`: the client's provider error message, and all the client and the log were shown. */
  const failed = async (account: 'danube-escapes' | 'onapp-mixed', status: number, body: string): Promise<{ message: string; texts: string[] }> => {
    answering[account === 'danube-escapes' ? 'danube' : 'onappMixed'] = { status, body };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>(`{ instances(providerId: "${account}") { providerErrors { message } } }`);
    const message = result.data?.instances.providerErrors[0]?.message ?? '';
    return { message, texts: [result.text, message, ...harness.logs.slice(logsBefore)] };
  };

  it('a letters-only password split by escaped whitespace reaches neither a VM name, nor its raw label, nor the log', async () => {
    const leaks: string[] = [];
    for (const space of ESCAPED_SPACES) {
      const { name, rawLabel, texts } = await labelled('onapp-letters', `vm of night${space}owl${space}password`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, LETTERS).length > 0) leaks.push(`${space}: ${JSON.stringify(name)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a letters-only API key split by escaped whitespace reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const space of ESCAPED_SPACES) {
      const { message, texts } = await failed('danube-escapes', 400, JSON.stringify({ detail: `Invalid API key nightowl${space}password` }));
      if (!message.includes('[redacted]') || shown(texts, LETTERS).length > 0) leaks.push(`${space}: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a mixed password split by escaped whitespace reaches neither a VM name, nor its raw label, nor the client error, nor the log, as split by a space', async () => {
    const leaks: string[] = [];
    for (const space of ESCAPED_SPACES) {
      const quoted = `${MIXED.slice(0, 7)}${space}${MIXED.slice(7)}`;
      const { name, rawLabel, texts } = await labelled('onapp-mixed', `vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${space} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await failed('onapp-mixed', 422, JSON.stringify({ errors: [`Invalid password ${quoted}`] }));
      if (message !== 'Invalid password [redacted]' || shown(errorTexts, MIXED).length > 0) leaks.push(`${space} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a mixed password with an escaped invisible character inside reaches neither a VM name, nor its raw label, nor the log', async () => {
    const leaks: string[] = [];
    for (const invisible of ESCAPED_INVISIBLES) {
      // After its 7th character: the 9 after it are a piece of 8 or more, the 7 before were none.
      const { name, rawLabel, texts } = await labelled('onapp-mixed', `vm of ${MIXED.slice(0, 7)}${invisible}${MIXED.slice(7)}`);
      if (name !== 'vm of [redacted]' || rawLabel !== name || shown(texts, MIXED).length > 0) leaks.push(`${invisible}: ${JSON.stringify(name)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('a secret with an escaped invisible character inside reaches neither the client error nor the log', async () => {
    const leaks: string[] = [];
    for (const invisible of ESCAPED_INVISIBLES) {
      const mixed = await failed('onapp-mixed', 422, JSON.stringify({ errors: [`Invalid password ${MIXED.slice(0, 7)}${invisible}${MIXED.slice(7)}`] }));
      if (!mixed.message.includes('[redacted]') || shown(mixed.texts, MIXED).length > 0) leaks.push(`${invisible} in OnApp's error: ${JSON.stringify(mixed.message)}`);
      const letters = await failed('danube-escapes', 400, JSON.stringify({ detail: `Invalid API key nightowl${invisible}password` }));
      if (!letters.message.includes('[redacted]') || shown(letters.texts, LETTERS).length > 0) leaks.push(`${invisible} in Danube's error: ${JSON.stringify(letters.message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves the escapes alone in text that holds no secret', async () => {
    for (const label of ['night&nbsp;owl &amp; a password', 'caf\\xc3\\xa9 &#8203; %25E2%2580%258B \\u{20}', 'Dnb7&shy;Kq8 and Rw2Z']) {
      const { name, rawLabel } = await labelled('onapp-mixed', label);
      expect(name).toBe(label);
      expect(rawLabel).toBe(label);
    }
  });
});
