import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile OnApp front labels a VM with the account's letters-only password split by whitespace
 * written as a JSON escape in the raw answer (`nightowl\u0020password`, `\u00a0`, `\u2003`). The
 * split-words search read only `\n`-style and `%20`-style escapes as splits, and the search through
 * escapes reads an answer only where a secret's anchor (here the whole password) may hide behind
 * one: the raw answer's scrub passed the label by, and JSON.parse made it "nightowl password" in the
 * VM's name and its raw record. An error message is scrubbed again once built and was caught; a
 * name and a raw field are not.
 */
const PASSWORD = 'nightowlpassword';
const ONAPP_USER = 'gateway-user';

/** JSON's escapes of whitespace (each `\s`) and of "+": what a provider may put between two words. */
const ESCAPED_SPLITS = [
  '\\u0020',
  '\\u00a0',
  '\\u00A0',
  '\\u2003',
  '\\u2000',
  '\\u200a',
  '\\u200A',
  '\\u3000',
  '\\u1680',
  '\\u2028',
  '\\u2029',
  '\\u202f',
  '\\u205F',
  '\\u0009',
  '\\u000a',
  '\\u000B',
  '\\u000c',
  '\\u000D',
  '\\u002b',
  '\\u002B',
];

/** The label as a reader puts it together: whitespace and "+" taken out, small letters. */
const asRead = (text: string): string =>
  text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\[bfnrtv]/g, ' ')
    .replace(/[\s+]/g, '')
    .toLowerCase();

describe('a letters-only password quoted back split by a JSON escape of whitespace', () => {
  let harness: Harness;
  let front: Server;
  let answer = '[]';

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['onapp'],
      configure: withAccountCopy('onapp', { id: 'onapp-escaped-splits', url, retries: 0, auth: { username: ONAPP_USER, password: PASSWORD } }),
    });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  /** The front's VM list with one VM whose label is `labelJson` (raw JSON string text, escapes as written); what the client and the log got. */
  const listed = async (labelJson: string): Promise<{ name: string; rawLabel: unknown; texts: string[] }> => {
    answer = `[{"virtual_machine":{"id":7,"identifier":"vm7","label":"${labelJson}","hostname":"vm7.example","booted":true}}]`;
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }> } }>(
      '{ instances(providerId: "onapp-escaped-splits") { edges { node { name raw } } providerErrors { message } } }',
    );
    const node = result.data?.instances.edges[0]?.node;
    return { name: node?.name ?? '', rawLabel: node?.raw.label, texts: [result.text, ...harness.logs.slice(logsBefore)] };
  };

  it('reaches neither the VM name, nor its raw label, nor the log, whichever escape splits it', async () => {
    const leaks: string[] = [];
    for (const escape of ESCAPED_SPLITS) {
      const { name, rawLabel, texts } = await listed(`vm of nightowl${escape}password`);
      if (name !== 'vm of [redacted]' || rawLabel !== 'vm of [redacted]' || texts.some((text) => asRead(text).includes(PASSWORD))) leaks.push(`${escape}: ${JSON.stringify(name)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('is redacted split between every letter, by escapes mixed with raw whitespace and `\\n`, in any case', async () => {
    const leaks: string[] = [];
    for (const quoted of [
      'n\\u0020i\\u00a0g\\u2003h\\u3000t\\u202fo\\u205fw\\u2028l\\u2029p\\u1680a\\u2000s\\u200as\\u000bw\\u002bo\\u0009r\\u000ad',
      'Night\\u00a0 Owl\\n\\u2003Pass \\u0020word',
      'NIGHTOWL\\u00A0PASSWORD',
    ]) {
      const { name, rawLabel, texts } = await listed(`vm of ${quoted}`);
      if (name !== 'vm of [redacted]' || rawLabel !== 'vm of [redacted]' || texts.some((text) => asRead(text).includes(PASSWORD))) leaks.push(`${quoted}: ${JSON.stringify(name)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('is redacted in a URL split by percent-encoded whitespace past ASCII (`%C2%A0`, `%E2%80%83`), either case', async () => {
    const leaks: string[] = [];
    for (const escape of ['%C2%A0', '%c2%a0', '%E2%80%83', '%E2%80%80', '%e2%80%8a', '%E2%80%A8', '%E2%80%A9', '%E2%81%9F', '%E3%80%80', '%E1%9A%80']) {
      const { name, rawLabel, texts } = await listed(`https://panel.example/vm?key=night${escape}owl${escape}password`);
      const read = (text: string): string => asRead(text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => decodeURIComponent(run)));
      if (name !== 'https://panel.example/vm?key=[redacted]' || rawLabel !== name || texts.some((text) => read(text).includes(PASSWORD))) leaks.push(`${escape}: ${JSON.stringify(name)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves the words of the password alone where they do not make it, escapes or not', async () => {
    for (const label of ['night\\u0020owl and a password', 'password\\u00a0nightowl', 'nightowl\\u0021password', 'q=nightowl%C2%A1password&r=night%E2%80%AFowl']) {
      const { name, rawLabel } = await listed(label);
      const read = JSON.parse(`"${label}"`) as string;
      expect(name).toBe(read);
      expect(rawLabel).toBe(read);
    }
  });
});
