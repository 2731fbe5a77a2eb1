import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { wsClient, wsRun, wsUrl } from '../helpers/ws.js';

/**
 * Client text a log line quotes is clipped, then scrubbed (an error's message at 300 characters,
 * a path key at 100, a refusal's Host, Origin, Upgrade or repeated name at 200; the last two were
 * cut at 100 by their callers).
 * The scrub finds a credential's encoded forms (hex, every character %-escaped, full-width
 * letters) only whole, and finds no piece of one: the clip through such a form left its start,
 * 20 of the key's characters, in the line. Whole, the scrub redacts each of these forms.
 */

/** Forms the scrub redacts whole and looks for no piece of; each `at(n)` is the form's first n characters of the key. */
const FORMS = [
  { name: 'hex', text: Buffer.from(DANUBE_SIM_API_KEY).toString('hex'), width: 2 },
  { name: '%-escaped', text: [...DANUBE_SIM_API_KEY].map((char) => `%${char.charCodeAt(0).toString(16)}`).join(''), width: 3 },
  { name: 'full-width', text: [...DANUBE_SIM_API_KEY].map((char) => (/[a-z0-9]/.test(char) ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join(''), width: 1 },
] as const;
/** How much of the key stands before each cut: as good as the key to whoever reads it (the scrub redacts 8 characters of it as a piece). */
const BEFORE_CUT = 20;
/** The first 8 of the key's characters, as each form writes them. */
const STARTS = FORMS.map((form) => form.text.slice(0, 8 * form.width));

/** `form` placed so that the key's first BEFORE_CUT characters end at `cut`, after `prefix` and filler. */
const straddling = (form: (typeof FORMS)[number], cut: number, prefix = 0, filler = 'x'): string => `${filler.repeat(cut - prefix - BEFORE_CUT * form.width)}${form.text}`;

/** The lines written since line `from` that hold a start of the key. */
const leaked = (harness: Harness, from: number): string[] => harness.logs.slice(from).filter((line) => STARTS.some((start) => line.includes(start)));

/** graphql-js's words before a variable's value: `Variable "$v0" got invalid value "`. */
const BEFORE_VALUE = 'Variable "$v0" got invalid value "'.length;

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (answer) => {
      answer.resume();
      answer.on('end', () => resolve(answer.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** One raw HTTP/1.1 exchange: the status line of its answer. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

function wsClose(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.once('close', (code) => resolve(code));
  });
}

describe('a credential in an encoded form the log clip goes through', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    port = Number(new URL(harness.gateway.graphqlUrl).port);
  });
  afterAll(() => harness.close());

  it('the forms are ones the scrub redacts whole in an error line', async () => {
    const from = harness.logs.length;
    for (const form of FORMS) await harness.gql('query($v0: Boolean!) { a: __typename @include(if: $v0) }', { v0: `x ${form.text} y` });
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(FORMS.length);
    expect(leaked(harness, from)).toEqual([]);
  });

  it('an error message clipped at 300: no start of the key left before the cut', async () => {
    const from = harness.logs.length;
    for (const form of FORMS) {
      const answer = await harness.gql('query($v0: Boolean!) { a: __typename @include(if: $v0) }', { v0: straddling(form, 300, BEFORE_VALUE) });
      expect(answer.errors?.[0]?.message).toContain(form.text);
    }
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(FORMS.length);
    expect(leaked(harness, from)).toEqual([]);
  });

  it('an error message over a WebSocket, clipped at 300 as over HTTP', async () => {
    const from = harness.logs.length;
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      for (const form of FORMS) {
        const answer = await wsRun(client, 'query($v0: Boolean!) { a: __typename @include(if: $v0) }', { v0: straddling(form, 300, BEFORE_VALUE) });
        expect(JSON.stringify(answer)).toContain(form.text);
      }
    } finally {
      await client.dispose();
    }
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(FORMS.length);
    expect(leaked(harness, from)).toEqual([]);
  });

  it("a path key (the client's alias) clipped at 100", async () => {
    const from = harness.logs.length;
    const hex = FORMS[0];
    const alias = straddling(hex, 100, 0, 'a');
    const answer = await harness.gql(`{ ${alias}: node(id: "no-such-id") { id } }`);
    expect(answer.errors?.[0]?.path).toEqual([alias]);
    expect(harness.logs.slice(from).some((line) => line.includes('request answered with an error') && line.includes('"path"'))).toBe(true);
    expect(leaked(harness, from)).toEqual([]);
  });

  it('a refused Host (HTTP) and Origin (WebSocket) clipped at 200, an Upgrade and a repeated JSON name (cut at 100 before)', async () => {
    const from = harness.logs.length;
    // One form: a refusal of a kind is logged once per address in 10 s.
    for (const form of FORMS.slice(0, 1)) {
      expect(await post(harness.gateway.graphqlUrl, { host: `${straddling(form, 200)}.example:${port}` }, JSON.stringify({ query: '{ providers { id } }' }))).toBe(403);
      expect(await wsClose(harness.gateway.graphqlUrl, { origin: `https://${straddling(form, 200, 'https://'.length)}.example` })).toBe(4403);
      expect(await raw(port, `GET /graphql HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: upgrade\r\nupgrade: ${straddling(form, 100)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d/);
      // The name is shown (and logged) as its first 40 characters (duplicate-json-keys.ts).
      const name = straddling(form, 40);
      expect(await post(harness.gateway.graphqlUrl, {}, `{"query": "{ providers { id } }", "${name}": 1, "${name}": 2}`)).toBe(400);
    }
    for (const words of ['not in listen.allowedHosts', 'another origin without a key', 'an upgrade to another protocol', 'names one thing twice']) {
      expect(harness.logs.slice(from).some((line) => line.includes(words))).toBe(true);
    }
    expect(leaked(harness, from)).toEqual([]);
  });

  it("a mutation's repeated alias (shown as 57 characters) and a merged field's path (200) in their refusals' error lines", async () => {
    const from = harness.logs.length;
    const hex = FORMS[0];
    const alias = straddling(hex, 57, 0, 'a');
    const repeated = await harness.gql(`mutation { deleteBackup(input: { backupId: "x" }) { ${alias}: backup { id } other: backup { id } } }`);
    expect(repeated.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const path = straddling(hex, 200, 0, 'a');
    const merged = await harness.gql(`{ ${Array.from({ length: 101 }, () => `${path}: providers { id }`).join(' ')} }`);
    expect(merged.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(harness.logs.slice(from).filter((line) => line.includes('request answered with an error'))).toHaveLength(2);
    expect(leaked(harness, from)).toEqual([]);
  });
});
