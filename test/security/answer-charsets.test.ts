import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/** The account's API key: not ASCII, as a key or password chosen by a person may be. */
const API_KEY = 'Grüße-aus-Köln-2026';

/**
 * An OnApp API answering its VM list in the charset `contentType` names, its labels quoting the
 * API key (as providers quote back what they were sent), and an empty list everywhere else.
 */
async function onappInCharset(contentType: string, encode: (text: string) => Buffer): Promise<{ server: Server; url: string }> {
  const list = JSON.stringify([
    { virtual_machine: { id: 1, label: `key ${API_KEY} refused`, identifier: 'i1' } },
    { virtual_machine: { id: 2, label: 'Müller Straße', identifier: 'i2' } },
  ]);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(req.url?.startsWith('/virtual_machines.json') ? encode(list) : '[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const ACCOUNTS = {
  'onapp-latin1': ['application/json; charset=ISO-8859-1', (text: string) => Buffer.from(text, 'latin1')],
  'onapp-utf16': ['application/json; charset=utf-16le', (text: string) => Buffer.from(text, 'utf16le')],
  // UTF-8 labelled Latin-1, as servers do: read as UTF-8, as before.
  'onapp-mislabelled': ['application/json;charset=iso-8859-1', (text: string) => Buffer.from(text, 'utf8')],
  // Latin-1 with no charset named: read as UTF-8 (JSON's own), each letter past ASCII a U+FFFD.
  'onapp-unnamed-latin1': ['application/json', (text: string) => Buffer.from(text, 'latin1')],
  // UTF-8 after a byte-order mark, as Windows servers write it (RFC 8259 lets a reader ignore it).
  'onapp-bom': ['application/json; charset=utf-8', (text: string) => Buffer.from(`\ufeff${text}`, 'utf8')],
} as const;

describe('provider answers in a charset other than UTF-8', () => {
  let harness: Harness;
  const servers: Server[] = [];

  beforeAll(async () => {
    const copies = [];
    for (const [id, [contentType, encode]] of Object.entries(ACCOUNTS)) {
      const { server, url } = await onappInCharset(contentType, encode);
      servers.push(server);
      copies.push(withAccountCopy('onapp', (original) => ({ id, url, auth: { ...(original.auth as Record<string, unknown>), password: API_KEY } })));
    }
    harness = await startHarness({ kinds: ['onapp'], configure: copies });
  });
  afterAll(async () => {
    await harness.close();
    for (const server of servers) server.close();
  });

  for (const id of Object.keys(ACCOUNTS).filter((account) => account !== 'onapp-unnamed-latin1')) {
    it(`${id}: reads the answer in its charset, so the API key it quotes is scrubbed and names read as written`, async () => {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string } }>; providerErrors: unknown[] } }>(
        `{ instances(providerId: "${id}") { edges { node { name } } providerErrors { code message } } }`,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.providerErrors).toEqual([]);
      expect(answer.data?.instances.edges.map((edge) => edge.node.name)).toEqual(['key [redacted] refused', 'Müller Straße']);
      // Read as UTF-8, each letter past ASCII was U+FFFD and the rest of the key went out ("Gr\ufffd\ufffde-aus-K\ufffdln-2026").
      expect(answer.text).not.toContain('-aus-K');
    });
  }

  it('onapp-unnamed-latin1: scrubs the key quoted in Latin-1 under no charset, though its letters past ASCII cannot be read', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string } }> } }>('{ instances(providerId: "onapp-unnamed-latin1") { edges { node { name } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.edges.map((edge) => edge.node.name)).toEqual(['key [redacted] refused', 'M\ufffdller Stra\ufffde']);
    expect(answer.text).not.toContain('-aus-K');
  });
});
