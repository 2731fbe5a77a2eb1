import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile provider front whose VM label or error message holds, between letters, an HTML
 * reference named after a member every object inherits (`&constructor;`, `&toString;`,
 * `&__proto__;`): the scrubber looked the name up in a plain object, found Object's own function
 * for `&constructor;`, and threw, so the whole list failed. Such a name is no reference; the answer
 * is an answer like any other.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmT';
const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__'];
const LABEL = `vm ${NAMES.map((name) => `a&${name};b`).join(' ')} c&constructor;7`;
const STACK = /\n\s+at .+:\d+:\d+/;

describe('a provider answer holding a reference named after an inherited member between letters', () => {
  let harness: Harness;
  let front: Server;
  let answering = { status: 200, body: '[]' };

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answering.status, { 'content-type': 'application/json' });
        res.end(answering.body);
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-hostile', url, retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    front.closeAllConnections();
    await new Promise<void>((resolve) => front.close(() => resolve()));
  });

  it('reaches the client as the VM label it is, with no error', async () => {
    answering = { status: 200, body: JSON.stringify([{ virtual_machine: { id: 7, identifier: 'vm7', label: LABEL, hostname: 'vm7.example', booted: true } }]) };
    const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }>; providerErrors: Array<{ code: string; message: string }> } }>(
      '{ instances(providerId: "onapp-hostile") { edges { node { name raw } } providerErrors { code message } } }',
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data?.instances.providerErrors).toEqual([]);
    expect(result.data?.instances.edges.map((edge) => [edge.node.name, edge.node.raw.label])).toEqual([[LABEL, LABEL]]);
    expect(result.text).not.toMatch(STACK);
  });

  it('reaches the client as the provider error message it is, the password still scrubbed from it', async () => {
    answering = { status: 422, body: JSON.stringify({ errors: [`Invalid password ${PASSWORD} in ${LABEL}`] }) };
    const result = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances(providerId: "onapp-hostile") { providerErrors { code message } } }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    const errors = result.data?.instances.providerErrors ?? [];
    expect(errors.map((error) => error.message)).toEqual([`Invalid password [redacted] in ${LABEL}`]);
    expect(errors[0]?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(result.text).not.toMatch(STACK);
    expect(result.text).not.toContain(PASSWORD);
  });
});
