import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceId } from '../../src/gateway/ids.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A configured password with spaces and the separators the error mappers join provider words
 * with ("; ", ": "). A provider that quotes it back with other whitespace, or split over two
 * error fields, got past the answer's scrub; the mapper's joining and whitespace collapsing
 * then put the exact password together in the client's error and the log line.
 */
const PASSWORD = 'correct horse; battery: staple';
const ONAPP_USER = 'gateway-user';
/** ZStack asks only for ids that are its uuids. */
const ZSTACK_VM = '0123456789abcdef0123456789abcdef';

/** What each hostile answer is, per kind: its status and body. */
type Quote = { status: number; body: unknown };
type Kind = 'onapp' | 'danube' | 'zstack' | 'zomro';
/** A BILLmanager error document (HTTP 200, as BILLmanager answers its errors). */
const zomroError = (error: Record<string, unknown>): Quote => ({ status: 200, body: { doc: { error: { $type: 'value', ...error } } } });
const QUOTES: Record<Kind, Record<string, Quote>> = {
  onapp: {
    'a newline for a space': { status: 422, body: { errors: ['correct\nhorse; battery: staple'] } },
    'split over two messages joined with "; "': { status: 422, body: { errors: ['correct horse', 'battery: staple'] } },
    'split between a field and its message, joined with " "': { status: 422, body: { errors: { correct: ['horse; battery: staple'] } } },
    'tabs and runs of spaces': { status: 422, body: { error: 'correct\t\thorse;   battery:\t staple' } },
  },
  danube: {
    'a newline for a space': { status: 400, body: { detail: 'correct\nhorse; battery: staple' } },
    'split between a field and its message, joined with ": "': { status: 400, body: { 'correct horse; battery': 'staple' } },
    'split over two fields joined with "; "': { status: 400, body: { password: 'correct horse', battery: 'staple' } },
    'tabs and runs of spaces': { status: 400, body: { detail: 'correct \t horse;\t\tbattery:  staple' } },
  },
  zstack: {
    'a newline for a space': { status: 400, body: { error: { code: 'SYS.1007', description: 'correct\nhorse; battery: staple' } } },
    'tabs and runs of spaces': { status: 400, body: { error: { code: 'SYS.1007', description: 'correct\t horse;\t\tbattery:   staple' } } },
  },
  zomro: {
    'a newline for a space': zomroError({ msg: { $: 'correct\nhorse; battery: staple' } }),
    'split over two fields, joined with "; " and ": "': zomroError({ $object: JSON.stringify({ name: ['correct horse'], battery: ['staple'] }) }),
    'tabs and runs of spaces': zomroError({ msg: { $: 'correct\t\thorse;  battery:\tstaple' } }),
  },
};

/**
 * Provider words long enough that the password, rebuilt by the join, straddles the 300-character
 * cut of a shown message: cut before the scrub, the whole password was never there to be found,
 * and its first 17 characters were shown.
 */
const FILLER = 'x'.repeat(279);
const STRADDLING: Partial<Record<Kind, Record<string, Quote>>> = {
  onapp: { 'split over two messages across the message cut': { status: 422, body: { errors: [`${FILLER} correct horse`, 'battery: staple'] } } },
  danube: { 'split over two fields across the message cut': { status: 400, body: { password: `${FILLER.slice(10)} correct horse`, battery: 'staple' } } },
  zomro: { 'split over two fields across the message cut': zomroError({ $object: JSON.stringify({ name: [`${FILLER.slice(70)} correct horse`], battery: ['staple'] }) }) },
};
/** The password's first `length` characters or more, anywhere in `text` as read. */
const PREFIX_SHOWN = 10;

/** Every string that would be the password, or a form of it the scrubber knows, once whitespace is read as one space. */
const LEAKED_FORMS = [PASSWORD, encodeURIComponent(PASSWORD), encodeURIComponent(PASSWORD).replaceAll('%20', '+'), Buffer.from(`${ONAPP_USER}:${PASSWORD}`).toString('base64').replace(/=+$/, '')];

/** `text` with JSON's whitespace escapes read and whitespace runs made one space, as a reader of the message would see it. */
const asRead = (text: string): string => text.replace(/\\[ntr]/g, ' ').replace(/\s+/g, ' ');

function expectNoPassword(texts: readonly string[]): void {
  for (const text of texts) for (const form of LEAKED_FORMS) expect(asRead(text)).not.toContain(form);
}

describe('a password with spaces and separators, rebuilt from provider words after the scrub', () => {
  let harness: Harness;
  const fronts: Server[] = [];
  /** The answer each front gives to every request it gets. */
  const answering: Record<Kind, Quote> = { onapp: { status: 200, body: [] }, danube: { status: 200, body: {} }, zstack: { status: 200, body: {} }, zomro: { status: 200, body: {} } };

  const front = async (kind: Kind): Promise<string> => {
    const server = createServer((req, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answering[kind].status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answering[kind].body));
      });
    });
    fronts.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const auth: Record<Kind, Record<string, string>> = { onapp: { username: ONAPP_USER, password: PASSWORD }, danube: { apiKey: PASSWORD }, zstack: { sessionId: PASSWORD }, zomro: { token: PASSWORD } };
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

  it('onapp: a VM named with the password, newlines and tabs for its spaces, is named without it in the answer, its raw record and the log', async () => {
    // JSON's own escapes (\n, \t, \u0020): the scrub reads them as the whitespace they stand for.
    const label = 'correct\nhorse;\t battery:\u0020staple';
    answering.onapp = { status: 200, body: [{ virtual_machine: { id: 7, identifier: 'vm7', label, hostname: `${label} host`, booted: true } }] };
    const logsBefore = harness.logs.length;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: unknown } }> } }>(
      '{ instances(providerId: "onapp-hostile") { edges { node { name raw } } providerErrors { code message } } }',
    );
    expect(answer.data?.instances.edges).toHaveLength(1);
    expect(answer.data?.instances.edges[0]?.node.name).toBe('[redacted]');
    expectNoPassword([answer.text, JSON.stringify(answer.data), ...harness.logs.slice(logsBefore)]);
  });

  for (const kind of ['onapp', 'danube', 'zomro'] as const) {
    for (const [how, quote] of Object.entries(STRADDLING[kind] ?? {})) {
      it(`${kind}: quoted with ${how}, not even its first characters in the error or the log`, async () => {
        answering[kind] = quote;
        const logsBefore = harness.logs.length;
        const list = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(
          `{ instances(providerId: "${kind}-hostile") { totalCount providerErrors { code message } } }`,
        );
        const message = list.data?.instances.providerErrors[0]?.message ?? '';
        // The message is still the provider's words, cut to 300 characters after the scrub.
        expect(message).toMatch(/^.*xxxxxxxxxx/);
        expect(message.length).toBeLessThanOrEqual(300);
        for (const text of [message, list.text, ...harness.logs.slice(logsBefore)]) expect(asRead(text)).not.toContain(PASSWORD.slice(0, PREFIX_SHOWN));
      });
    }
  }

  for (const kind of ['onapp', 'danube', 'zstack', 'zomro'] as const) {
    for (const [how, quote] of Object.entries(QUOTES[kind])) {
      it(`${kind}: quoted with ${how}, in neither the error nor the log`, async () => {
        answering[kind] = quote;
        const account = `${kind}-hostile`;
        const logsBefore = harness.logs.length;
        const list = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(
          `{ instances(providerId: "${account}") { totalCount providerErrors { code message } } }`,
        );
        const one = await harness.gql('query($id: ID!) { instance(id: $id) { id name } }', { id: instanceId({ providerId: account, nativeId: kind === 'zstack' ? ZSTACK_VM : 'vm-1' }) });

        // The provider's refusal reached the client, as words of its own with the password out.
        expect(list.data?.instances.providerErrors).toHaveLength(1);
        expect(list.data?.instances.providerErrors[0]?.code).toBe('PROVIDER_ERROR');
        expect(list.data?.instances.providerErrors[0]?.message).toMatch(/staple|\[redacted\]/);
        expect(one.errors?.length).toBeGreaterThan(0);
        expect(one.errors?.[0]?.extensions?.code).toBeDefined();
        const messages = [...(list.data?.instances.providerErrors ?? []).map((error) => error.message), ...(one.errors ?? []).map((error) => `${error.message} ${JSON.stringify(error.extensions)}`)];
        expectNoPassword([...messages, list.text, one.text, ...harness.logs.slice(logsBefore)]);
      });
    }
  }
});
