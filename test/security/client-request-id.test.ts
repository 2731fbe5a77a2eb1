import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withClients, withTrustedLoopbackProxy } from '../helpers/harness.js';

const QUERY = '{ instances { edges { node { id } } } }';

const linesWith = (harness: Harness, field: string, value: string) =>
  harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line[field] === value);

describe('x-request-id from a client that is not a trusted proxy', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('is not used as the request id (its lines would mix with another request’s), but logged beside the new one', async () => {
    const victim = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'victim-trace-7' } });
    expect(victim.errors).toBeUndefined();
    harness.resetUpstreamLogs();
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'victim-trace-7' } });
    expect(answer.errors).toBeUndefined();
    const requestId = answer.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId).not.toBe(victim.headers.get('x-request-id'));
    const upstream = harness.simulator('zomro').server.log;
    expect(upstream.length).toBeGreaterThan(0);
    for (const request of upstream) expect(request.headers['x-request-id']).toBe(requestId);
    expect(linesWith(harness, 'requestId', 'victim-trace-7')).toEqual([]);
    expect(linesWith(harness, 'clientRequestId', 'victim-trace-7').map((line) => line.requestId)).toContain(requestId);
  });

  it('gives an x-client-request-id (a trusted proxy’s header) no weight: neither used nor logged', async () => {
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-client-request-id': 'direct-client-id-3' } });
    expect(answer.errors).toBeUndefined();
    expect(harness.logs.some((line) => line.includes('direct-client-id-3'))).toBe(false);
  });

  it('is not logged when it is not plain', async () => {
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'two words' } });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(harness.logs.some((line) => line.includes('two words'))).toBe(false);
  });
});

describe('x-request-id on a refused request', () => {
  const KEY = 'request-id-viewer-key-0123456789';
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }]) });
  });
  afterAll(() => harness.close());

  it('is not logged: a caller without a key would write a line per request it sends', async () => {
    for (const key of [undefined, 'a-wrong-key-0123456789abcdef']) {
      const refused = await harness.gql(QUERY, {}, { ...(key ? { key } : {}), headers: { 'x-request-id': 'unkeyed-9' } });
      expect(refused.status).toBe(401);
    }
    expect(harness.logs.some((line) => line.includes('unkeyed-9'))).toBe(false);
    const answer = await harness.gql(QUERY, {}, { key: KEY, headers: { 'x-request-id': 'keyed-9' } });
    expect(answer.errors).toBeUndefined();
    expect(linesWith(harness, 'clientRequestId', 'keyed-9').map((line) => line.requestId)).toEqual([answer.headers.get('x-request-id')]);
  });
});

describe('x-request-id from a trusted proxy (listen.trustedProxies)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withTrustedLoopbackProxy() });
  });
  afterAll(() => harness.close());

  it('is the request id, sent upstream, with no clientRequestId line', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'proxy-set-42' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.headers.get('x-request-id')).toBe('proxy-set-42');
    for (const request of harness.simulator('zomro').server.log) expect(request.headers['x-request-id']).toBe('proxy-set-42');
    expect(harness.logs.some((line) => line.includes('clientRequestId'))).toBe(false);
  });

  it('logs the client’s own id the proxy hands on in x-client-request-id beside it, when plain; never uses it', async () => {
    const answer = await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'proxy-set-43', 'x-client-request-id': 'client-own-5' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.headers.get('x-request-id')).toBe('proxy-set-43');
    expect(linesWith(harness, 'clientRequestId', 'client-own-5').map((line) => line.requestId)).toEqual(['proxy-set-43']);
    await harness.gql(QUERY, {}, { headers: { 'x-request-id': 'proxy-set-44', 'x-client-request-id': 'client own, forged line' } });
    expect(harness.logs.some((line) => line.includes('forged line'))).toBe(false);
  });
});
