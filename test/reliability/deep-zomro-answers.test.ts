import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessBehindFront } from '../helpers/front-server.js';
import { errorCodes, type Harness } from '../helpers/harness.js';

/** Levels of nesting: JSON.parse reads them fine, a walk by recursion overflows the stack. */
const LEVELS = 100_000;
const deepList = (inner: string): string => `${'['.repeat(LEVELS)}${inner}${']'.repeat(LEVELS)}`;
const ACCOUNT = 'zomro-front';

/**
 * The Zomro simulator behind a front playing a hostile or broken BILLmanager: each instance of
 * `func=instances` carries one value nested LEVELS deep, and every backup create is refused with
 * a message nested as deep. BILLmanager wraps each value as `{"$": v}`, which the adapter unwraps
 * at every depth before it reads a record or an error.
 */
describe('Zomro answers nested past the stack', () => {
  let harness: Harness;
  let close: () => Promise<void>;
  let creates = 0;

  const answer = (res: ServerResponse, text: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(text);
  };

  beforeAll(async () => {
    ({ harness, close } = await harnessBehindFront('zomro', ACCOUNT, (req, res, body) => {
      const form = new URLSearchParams(body.toString('utf8'));
      const func = form.get('func');
      if (func === 'instances.fleio_bckps.edit' && form.get('sok') === 'ok') {
        creates += 1;
        answer(res, `{"doc":{"error":{"$type":"value","msg":${deepList('{"$":"disk is busy"}')}}}}`);
        return true;
      }
      if (func !== 'instances') return false;
      // The simulator's own page, each record given one more field nested LEVELS deep.
      fetch(harness.simulator('zomro').url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString('utf8') }).then(
        async (upstream) => answer(res, (await upstream.text()).replaceAll('"id":{', `"extra":${deepList('{"$":"x"}')},"id":{`)),
        () => res.destroy(),
      );
      return true;
    }));
  });
  afterAll(() => close?.());

  it('lists the instances with the deep value cut from raw, not an internal error', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; name: string; raw: Record<string, unknown> } }>; providerErrors: unknown[] } }>(
      `{ instances(providerId: "${ACCOUNT}") { edges { node { id name raw } } providerErrors { code message } } }`,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.instances.providerErrors).toEqual([]);
    const nodes = listed.data?.instances.edges.map((edge) => edge.node) ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    expect(JSON.stringify(nodes[0]?.raw.extra)).toContain('"[nested too deep]"');
    expect(harness.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('reads a refusal whose message nests past the stack as the provider refusing, and releases the idempotency key', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(`{ instances(providerId: "${ACCOUNT}", first: 1) { edges { node { id } } } }`);
    const instanceId = listed.data?.instances.edges[0]?.node.id;
    expect(instanceId).toBeDefined();
    const create = 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "n", idempotencyKey: "deep-zomro-refusal" }) { operation { id } } }';

    const first = await harness.gql(create, { id: instanceId });
    expect(errorCodes(first)).toEqual(['PROVIDER_ERROR']);
    expect(first.errors?.[0]?.extensions).toMatchObject({ provider: ACCOUNT, providerCode: 'value' });
    // A refusal did nothing: the retry asks the provider again and is not told the first may have acted.
    const retry = await harness.gql(create, { id: instanceId });
    expect(errorCodes(retry)).toEqual(['PROVIDER_ERROR']);
    expect(retry.errors?.[0]?.message).not.toContain('may have acted');
    expect(creates).toBe(2);
    expect(harness.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});
