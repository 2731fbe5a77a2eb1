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

/** What each hostile answer is, per kind: its status and body. */
type Quote = { status: number; body: unknown };
const QUOTES: Record<'onapp' | 'danube', Record<string, Quote>> = {
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
};

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
  const answering: Record<'onapp' | 'danube', Quote> = { onapp: { status: 200, body: [] }, danube: { status: 200, body: {} } };

  const front = async (kind: 'onapp' | 'danube'): Promise<string> => {
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
    const onappUrl = await front('onapp');
    const danubeUrl = await front('danube');
    harness = await startHarness({
      kinds: ['onapp', 'danube'],
      configure: [
        withAccountCopy('onapp', { id: 'onapp-hostile', url: onappUrl, retries: 0, auth: { username: ONAPP_USER, password: PASSWORD } }),
        withAccountCopy('danube', { id: 'danube-hostile', url: danubeUrl, retries: 0, auth: { apiKey: PASSWORD } }),
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

  for (const kind of ['onapp', 'danube'] as const) {
    for (const [how, quote] of Object.entries(QUOTES[kind])) {
      it(`${kind}: quoted with ${how}, in neither the error nor the log`, async () => {
        answering[kind] = quote;
        const account = `${kind}-hostile`;
        const logsBefore = harness.logs.length;
        const list = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>(
          `{ instances(providerId: "${account}") { totalCount providerErrors { code message } } }`,
        );
        const one = await harness.gql('query($id: ID!) { instance(id: $id) { id name } }', { id: instanceId({ providerId: account, nativeId: 'vm-1' }) });

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
