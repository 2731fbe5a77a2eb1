import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS, type ProviderKind } from '../../src/providers/registry.js';
import { DANUBE_SIM_PASSWORD } from '../../src/providers/danube/simulator.js';
import { ONAPP_SIM_API_KEY } from '../../src/providers/onapp/simulator.js';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { ZSTACK_SIM_PASSWORD } from '../../src/providers/zstack/simulator.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { type Harness, startHarness, withDanubePasswordLogin, withTrustedLoopbackProxy } from '../helpers/harness.js';

const KINDS = PROVIDER_KINDS;
/** Per provider, with this file's config: the credential its requests carry, and whether it logs in first (to a path ending thus). */
const ACCOUNT: Record<ProviderKind, { secret: string; loginPath: string | null }> = {
  zomro: { secret: ZOMRO_SIM_TOKEN, loginPath: null },
  onapp: { secret: ONAPP_SIM_API_KEY, loginPath: null },
  zstack: { secret: ZSTACK_SIM_PASSWORD, loginPath: '/accounts/login' },
  danube: { secret: DANUBE_SIM_PASSWORD, loginPath: '/accounts/login/' },
};
/** Extra createBackup input per provider (Danube makes a backup by running a definition). */
const CREATE_EXTRAS: Partial<Record<ProviderKind, Record<string, unknown>>> = { danube: { definitionName: 'daily' } };

describe('request ids in logs and upstream requests', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: KINDS,
      // Danube by login rather than API key, so both session-based providers log in on the first query.
      // The ids these tests send are used as a trusted proxy's (test/security/client-request-id.test.ts: anyone else's are not).
      configure: [withDanubePasswordLogin(), withTrustedLoopbackProxy()],
    });
  });
  afterAll(() => harness.close());

  const upstreamLines = (requestId: string) =>
    harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.requestId === requestId && line.msg === 'upstream request');

  // First in the file: the ZStack and Danube logins happen inside this query and must carry its id too.
  it('sends the request id to every provider (a header they ignore) on every upstream request of a dashboard, logins included, and logs it as JSON, credentials redacted', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(DASHBOARD_QUERY, {}, { headers: { 'x-request-id': 'dash-42' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.headers.get('x-request-id')).toBe('dash-42');
    let total = 0;
    for (const kind of KINDS) {
      const upstream = harness.simulator(kind).server.log;
      expect(upstream.length, kind).toBeGreaterThan(1);
      for (const request of upstream) expect(request.headers['x-request-id'], `${kind} ${request.label}`).toBe('dash-42');
      total += upstream.length;
    }
    for (const kind of KINDS) {
      const { loginPath } = ACCOUNT[kind];
      if (loginPath) expect(harness.simulator(kind).server.log.some((request) => request.rawPath.endsWith(loginPath)), `${kind} login`).toBe(true);
    }
    expect(KINDS.filter((kind) => ACCOUNT[kind].loginPath).length).toBeGreaterThan(0);
    expect(upstreamLines('dash-42').length).toBe(total);
    for (const line of harness.logs) {
      for (const kind of KINDS) expect(line, kind).not.toContain(ACCOUNT[kind].secret);
    }
  });

  it('gives a request without a usable x-request-id one of its own, and sends that', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(DASHBOARD_QUERY, {}, { headers: { 'x-request-id': 'not allowed!' } });
    expect(answer.errors).toBeUndefined();
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    for (const kind of KINDS) {
      for (const request of harness.simulator(kind).server.log) expect(request.headers['x-request-id'], kind).toBe(requestId);
    }
  });

  it.each(KINDS)('sends a mutation’s request id on every upstream request it makes (%s createBackup)', async (kind) => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('query($providerId: ID) { instances(providerId: $providerId) { edges { node { id } } } }', {
      providerId: harness.providerId(kind),
    });
    const target = list.data!.instances.edges[0]!.node;
    harness.resetUpstreamLogs();
    const requestId = `mut-${kind}-7`;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: target.id, name: 'request-id-check', ...CREATE_EXTRAS[kind] } },
      { headers: { 'x-request-id': requestId } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createBackup.operation.id).toEqual(expect.any(String));
    const upstream = harness.simulator(kind).server.log;
    // The write itself is among them (Zomro POSTs everything: its writes are the `.edit` funcs).
    const isWrite = (request: (typeof upstream)[number]) => (kind === 'zomro' ? request.label.endsWith('.edit') : request.method !== 'GET');
    expect(upstream.some(isWrite)).toBe(true);
    for (const request of upstream) expect(request.headers['x-request-id'], request.label).toBe(requestId);
    for (const other of KINDS.filter((item) => item !== kind)) expect(harness.simulator(other).server.log, other).toHaveLength(0);
    expect(upstreamLines(requestId).length).toBe(upstream.length);
  });
});
