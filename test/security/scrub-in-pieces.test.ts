import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A large provider answer is scrubbed a piece per turn of the event loop (SecretSet.scrubAnswer).
 * Here the pieces are some 64 characters (`scrubCharsPerTurn`), and an OnApp front answers its
 * VM list with the account's key quoted in every form the scrubber finds, each form after every
 * padding from none to a piece's length less one: a cut every 64 characters would fall inside
 * each form at each of its characters (cut so, without overlap, 512 of the 704 names kept some of
 * the key). Some forms are longer than a piece (a run of 200 spaces between the key's words,
 * overlong HTML references): a cut with a fixed overlap would miss those.
 */
const USER = 'ops-admin';
const KEY = "Ops'Key 4f9Qx-Tok";
const PIECE = 64;

const swappedCase = (text: string): string => [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
const fullWidth = (text: string): string => [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
const jsonEscaped = (text: string): string => [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const percentEncoded = (text: string): string => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
const overlongHtml = (text: string): string => [...text].map((char) => `&#x${(char.codePointAt(0) as number).toString(16).padStart(12, '0')};`).join('');
const [FIRST_WORD, SECOND_WORD] = KEY.split(' ') as [string, string];

/** The key as a label's JSON text may quote it (the JSON string's raw content). */
const FORMS: Record<string, string> = {
  'as configured': KEY,
  'in swapped case': swappedCase(KEY),
  'in full-width letters': fullWidth(KEY),
  'in full-width letters behind JSON \\u escapes': jsonEscaped(fullWidth(KEY)),
  'behind JSON \\u escapes': jsonEscaped(KEY),
  'percent-encoded': percentEncoded(KEY),
  'percent-encoded twice': percentEncoded(KEY).replaceAll('%', '%25'),
  'as overlong HTML hex references (longer than a piece)': overlongHtml(KEY),
  'with 200 spaces between its words (longer than a piece)': `${FIRST_WORD}${' '.repeat(200)}${SECOND_WORD}`,
  'with 100 \\n escapes between its words (longer than a piece)': `${FIRST_WORD}${'\\n'.repeat(100)}${SECOND_WORD}`,
  'as the Basic pair in base64': Buffer.from(`${USER}:${KEY}`).toString('base64'),
};

/** One VM per form and padding, in order: its label the padding and the form. */
const labels = Object.values(FORMS).flatMap((form) => Array.from({ length: PIECE }, (_, padding) => `${'x'.repeat(padding)}${form}`));
const listAnswer = `[${labels.map((label, index) => `{"virtual_machine":{"id":${index + 1},"label":"${label}","identifier":"i${index + 1}"}}`).join(',')}]`;

/** What a reader could make of a name: escapes read three times, NFKC, small letters, whitespace runs as one space. */
function asRead(text: string): string {
  let read = text;
  for (let pass = 0; pass < 3; pass++) {
    read = read
      .replace(/&#x([0-9a-f]+);?/gi, (_escape, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/\\u([0-9a-f]{4})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replaceAll('\\n', '\n')
      .replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
        try {
          return decodeURIComponent(run);
        } catch {
          return run;
        }
      });
  }
  return read.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

describe('a large answer scrubbed in pieces: a secret across any cut is still removed', () => {
  let harness: Harness;
  let front: Server;

  beforeAll(async () => {
    front = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/virtual_machines.json') ? listAnswer : '[]');
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      scrubCharsPerTurn: PIECE,
      configure: [withAccountCopy('onapp', { id: 'onapp-quoting', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, auth: { username: USER, password: KEY } })],
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    front?.close();
  });

  it('finds every form at every place across the pieces, none of the key left in any name', async () => {
    expect(listAnswer.length).toBeGreaterThan(100 * PIECE);
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string } }>; providerErrors: unknown[] } }>(
      `{ instances(providerId: "onapp-quoting", first: ${labels.length}) { edges { node { name } } providerErrors { code } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.providerErrors).toEqual([]);
    const names = answer.data?.instances.edges.map((edge) => edge.node.name) ?? [];
    expect(names).toHaveLength(labels.length);
    const formNames = Object.keys(FORMS);
    const leaks = names.flatMap((name, index) => {
      const read = asRead(name);
      const leaked = !name.includes('[redacted]') || read.includes(SECOND_WORD.toLowerCase()) || read.includes(FIRST_WORD.toLowerCase()) || name.includes(FORMS['as the Basic pair in base64']!.slice(4, -4));
      return leaked ? [`${formNames[Math.floor(index / PIECE)]} after ${index % PIECE}: ${name}`] : [];
    });
    expect(leaks).toEqual([]);
  }, 60_000);
});
