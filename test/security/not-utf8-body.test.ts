import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

const CREATE = 'mutation($id: ID!, $key: String!) { createBackup(input: { instanceId: $id, name: "utf8", idempotencyKey: $key }) { operation { id } } }';

/** A JSON body whose idempotency key is `key` (bytes as they are), the rest ASCII. */
const bodyWithKey = (instanceId: string, key: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`{"query":${JSON.stringify(CREATE)},"variables":{"id":${JSON.stringify(instanceId)},"key":"`), key, Buffer.from('"}}')]);

/**
 * express.json decoded a byte sequence that is no UTF-8 character as U+FFFD and went on: a
 * mutation whose body was cut mid-character, or whose text was Latin-1, acted on text the client
 * never sent, and two idempotency keys differing only in such bytes were one key. Such a body is
 * refused, 400, before anything runs, compressed or not.
 */
describe('a request body that is not UTF-8 is refused before anything runs', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness?.close());

  const post = async (body: Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(body) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };

  it('a key cut mid-character (é is C3 A9) and one in Latin-1 (E9): 400 BAD_USER_INPUT each, no provider call', async () => {
    harness.resetUpstreamLogs();
    for (const key of [Buffer.from([0x6b, 0x2d, 0xc3]), Buffer.from([0x6b, 0x2d, 0xe9])]) {
      const answer = await post(bodyWithKey(instanceId, key));
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.body.errors?.[0]?.message).toContain('not UTF-8');
    }
    expect(harness.upstreamCount('onapp')).toBe(0);
  });

  it('alike when gzip-compressed', async () => {
    harness.resetUpstreamLogs();
    const answer = await post(gzipSync(bodyWithKey(instanceId, Buffer.from([0x6b, 0xff]))), { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toContain('not UTF-8');
    expect(harness.upstreamCount('onapp')).toBe(0);
  });

  it('guard: a key in UTF-8 (é, an emoji) acts, and a UTF-8 byte order mark is read as before', async () => {
    const answer = await post(bodyWithKey(instanceId, Buffer.from('k-é-\u{1f600}')));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const marked = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"query":"{ providers { id } }"}')]));
    expect(marked.status).toBe(200);
    expect(marked.body.errors).toBeUndefined();
  });
});
