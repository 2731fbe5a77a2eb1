import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile provider front quotes the secret it was sent back with characters a reader skips
 * over put inside it: a control character (JSON carries one as `\u0001`), DEL, a C1 control, a
 * soft hyphen, a zero-width space or joiner, a word joiner, a BOM, a bidirectional mark. None of
 * them was read as a split: `nightowl\u0001password` for the key `nightowlpassword` reached the
 * client's error and the log with the control shown as U+FFFD, and a mixed password with one
 * after its 7th character kept those 7 (the piece search took the 9 after it).
 */
const LETTERS_KEY = 'nightowlpassword';
const ONAPP_USER = 'gateway-user';
const MIXED_PASSWORD = 'Dnb7Kq8Rw2Zx4LmT';

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, offset) => String.fromCharCode(from + offset));
const INVISIBLE_GROUPS: Record<string, string[]> = {
  'C0 controls 0x00-0x08': range(0x00, 0x08),
  'C0 controls 0x0E-0x1F': range(0x0e, 0x1f),
  'DEL and C1 controls 0x7F-0x9F': range(0x7f, 0x9f),
  'soft hyphen, zero-width space, ZWNJ, ZWJ, word joiner, BOM': ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'],
  'bidirectional marks, embeddings, overrides and isolates': ['\u200e', '\u200f', ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)],
};
const ALL_INVISIBLE = Object.values(INVISIBLE_GROUPS).flat();

/** `text` as a reader would put it together: JSON's `\uXXXX` escapes read, invisible characters, U+FFFD and whitespace taken out, small letters. */
function asRead(text: string): string {
  const unescaped = text.replace(/\\u([0-9a-fA-F]{4})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\[bfnrt]/g, '');
  return [...unescaped].filter((char) => !ALL_INVISIBLE.includes(char) && char !== '\ufffd' && !/\s/.test(char)).join('').toLowerCase();
}

/** Every `length` characters in a row of `secret`, small letters: 7 of the mixed password (a word has none), 10 of the letters-only key. */
const windowsOf = (secret: string, length: number): string[] => Array.from({ length: secret.length - length + 1 }, (_, start) => secret.slice(start, start + length).toLowerCase());

/** The windows of `secret` that any of `texts` shows, as read. */
const shown = (texts: readonly string[], secret: string): string[] =>
  windowsOf(secret, secret === MIXED_PASSWORD ? 7 : 10).filter((window) => texts.some((text) => asRead(text).includes(window)));

const name = (char: string): string => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

describe('a secret quoted back with invisible characters inside it', () => {
  let harness: Harness;
  const fronts: Server[] = [];
  /** What each front answers (status, raw body text) to every request. */
  const answering: Record<'danube' | 'onapp', { status: number; body: string }> = { danube: { status: 200, body: '{}' }, onapp: { status: 200, body: '[]' } };

  const front = async (kind: 'danube' | 'onapp'): Promise<string> => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answering[kind].status, { 'content-type': 'application/json' });
        res.end(answering[kind].body);
      });
    });
    fronts.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const [danubeUrl, onappUrl] = [await front('danube'), await front('onapp')];
    harness = await startHarness({
      kinds: ['danube', 'onapp'],
      configure: [
        withAccountCopy('danube', { id: 'danube-hostile', url: danubeUrl, retries: 0, auth: { apiKey: LETTERS_KEY } }),
        withAccountCopy('onapp', { id: 'onapp-hostile', url: onappUrl, retries: 0, auth: { username: ONAPP_USER, password: MIXED_PASSWORD } }),
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

  /** The Danube front's error quoting `quoted`; what the client and the log were shown. */
  const danubeError = async (body: string): Promise<{ message: string; texts: string[] }> => {
    answering.danube = { status: 400, body };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-hostile") { providerErrors { message } } }');
    const message = result.data?.instances.providerErrors[0]?.message ?? '';
    return { message, texts: [result.text, message, ...harness.logs.slice(logsBefore)] };
  };

  /** The OnApp front's VM list with one VM labelled `label`; the label as the client got it and everything shown. */
  const onappLabel = async (label: string): Promise<{ name: string; rawLabel: unknown; texts: string[] }> => {
    answering.onapp = { status: 200, body: JSON.stringify([{ virtual_machine: { id: 7, identifier: 'vm7', label, hostname: 'vm7.example', booted: true } }]) };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }> } }>(
      '{ instances(providerId: "onapp-hostile") { edges { node { name raw } } providerErrors { message } } }',
    );
    const node = result.data?.instances.edges[0]?.node;
    return { name: node?.name ?? '', rawLabel: node?.raw.label, texts: [result.text, ...harness.logs.slice(logsBefore)] };
  };

  for (const [group, chars] of Object.entries(INVISIBLE_GROUPS)) {
    it(`danube: a letters-only API key with one of the ${group} inside reaches neither the client nor the log`, async () => {
      const leaks: string[] = [];
      for (const char of chars) {
        const { message, texts } = await danubeError(JSON.stringify({ detail: `Invalid API key ${LETTERS_KEY.slice(0, 8)}${char}${LETTERS_KEY.slice(8)}` }));
        if (!message.includes('[redacted]') || shown(texts, LETTERS_KEY).length > 0) leaks.push(name(char));
      }
      expect(leaks).toEqual([]);
    });

    it(`onapp: a mixed password with one of the ${group} inside reaches neither the client's error, nor a raw label, nor the log`, async () => {
      const leaks: string[] = [];
      for (const char of chars) {
        // After its 7th character: the 9 after it are a piece of 8 or more, the 7 before were none.
        const quoted = `${MIXED_PASSWORD.slice(0, 7)}${char}${MIXED_PASSWORD.slice(7)}`;
        answering.onapp = { status: 422, body: JSON.stringify({ errors: [`Invalid password ${quoted}`] }) };
        const logsBefore = harness.logs.length;
        const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "onapp-hostile") { providerErrors { message } } }');
        const message = result.data?.instances.providerErrors[0]?.message ?? '';
        if (!message.includes('[redacted]') || shown([result.text, message, ...harness.logs.slice(logsBefore)], MIXED_PASSWORD).length > 0) leaks.push(`${name(char)} in an error`);
        const labelled = await onappLabel(`vm of ${quoted}`);
        if (labelled.name !== 'vm of [redacted]' || shown(labelled.texts, MIXED_PASSWORD).length > 0) leaks.push(`${name(char)} in a label (${JSON.stringify(labelled.name)})`);
      }
      expect(leaks).toEqual([]);
    });
  }

  it('danube: a letters-only key with invisible characters beside the splits already read (spaces, newlines, escapes), or between every letter, is redacted', async () => {
    const leaks: string[] = [];
    for (const quoted of [
      'nightowl\u200b password',
      'night\u0001owl\npass\u00adword',
      'n\u200bi\u200cg\u200dh\u2060t\ufeffo\u200ew\u200fl\u202ap\u202ea\u2066s\u2069s\u0000w\u007fo\u0085r\u001fd',
      'Night \u200bOwl\t\u0003Pass\u00ad word',
    ]) {
      const { message, texts } = await danubeError(JSON.stringify({ detail: `Invalid API key ${quoted}` }));
      if (!message.includes('[redacted]') || shown(texts, LETTERS_KEY).length > 0) leaks.push(JSON.stringify(quoted));
    }
    // A PHP-style encoder writes every character past ASCII as a \u escape: the zero-width space too.
    for (const body of ['{"detail":"Invalid API key nightowl\\u200Bpassword"}', '{"detail":"Invalid API key night\\u00adowl\\bpass\\u0007word"}', '{"detail":"Invalid API key nightowl\\u00a0\\u200bpassword"}']) {
      const { message, texts } = await danubeError(body);
      if (!message.includes('[redacted]') || shown(texts, LETTERS_KEY).length > 0) leaks.push(body);
    }
    expect(leaks).toEqual([]);
  });

  it('onapp: a mixed password with invisible characters beside joiners, quotes and escapes it is already found through is redacted', async () => {
    const leaks: string[] = [];
    for (const quoted of ['Dnb7-\u200bKq8R-w2Zx-\u00ad4LmT', 'Dnb7Kq8\u200b"Rw2Zx4LmT', 'Dnb\u00017Kq8R\u200dw2Zx\u001b4LmT', 'DNB7KQ8R\u2066W2ZX4LMT']) {
      const labelled = await onappLabel(`vm of ${quoted}`);
      if (labelled.name !== 'vm of [redacted]' || shown(labelled.texts, MIXED_PASSWORD).length > 0) leaks.push(`${JSON.stringify(quoted)}: ${JSON.stringify(labelled.name)}`);
    }
    expect(leaks).toEqual([]);
  });

  /** `text` with its runs of %XX escapes read as UTF-8 (a run that is none stays as written). */
  const percentRead = (text: string): string =>
    text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });

  it('a secret in a URL with one of the invisible characters percent-encoded inside it (`%E2%80%8B`) reaches neither a label, nor an error, nor the log', async () => {
    const leaks: string[] = [];
    for (const char of [...ALL_INVISIBLE, '\ufffd', '\u{e0041}']) {
      const escaped = encodeURIComponent(char);
      for (const escape of [escaped, escaped.toLowerCase()]) {
        const quoted = `${MIXED_PASSWORD.slice(0, 7)}${escape}${MIXED_PASSWORD.slice(7)}`;
        const labelled = await onappLabel(`https://panel.example/vm?owner=${quoted}`);
        if (labelled.name !== 'https://panel.example/vm?owner=[redacted]' || shown(labelled.texts.map(percentRead), MIXED_PASSWORD).length > 0) leaks.push(`${escape} in a label: ${JSON.stringify(labelled.name)}`);
        const { message, texts } = await danubeError(JSON.stringify({ detail: `Invalid API key: https://panel.example/api?key=night${escape}owl%20password` }));
        if (!message.includes('[redacted]') || shown(texts.map(percentRead), LETTERS_KEY).length > 0) leaks.push(`${escape} in an error: ${JSON.stringify(message)}`);
      }
    }
    expect(leaks).toEqual([]);
    // A URL holding no secret keeps them as written.
    const plain = 'https://panel.example/a%E2%80%8Bb?q=day%C2%ADlight%00saving%E2%80%8Btime';
    const labelled = await onappLabel(plain);
    expect(labelled.name).toBe(plain);
    expect(labelled.rawLabel).toBe(plain);
  });

  it('leaves invisible characters in text that holds no secret as they are: an emoji sequence, a zero-width space between two words', async () => {
    const label = 'family \u{1f468}\u200d\u{1f469}\u200d\u{1f467} night\u200bowl pass\u00adword';
    const labelled = await onappLabel(label);
    expect(labelled.name).toBe(label);
    expect(labelled.rawLabel).toBe(label);
  });
});
