import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withAccountCopy, withLimits, type Harness } from '../helpers/harness.js';
import { encodeId } from '../../src/domain/ids.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/** An OnApp of one VM with 40 backups, answered at once. */
function wideOnapp(): Server {
  return createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    if ((req.url ?? '').startsWith('/virtual_machines.json')) return void res.end(JSON.stringify([{ virtual_machine: { id: 1, label: 'vm1', booted: true } }]));
    res.end(JSON.stringify(Array.from({ length: 40 }, (_, index) => ({ backup: { id: index + 1, built: true, created_at: '2026-01-01T00:00:00Z', backup_type: 'normal' } }))));
  });
}

/** An OnApp that holds every VM-list call until `release`, saying `held` as each arrives. */
class HoldingOnapp extends EventEmitter {
  private readonly held: ServerResponse[] = [];
  readonly server: Server = createServer((req, res) => {
    req.resume();
    this.held.push(res);
    this.emit('held');
  });

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get holding(): number {
    return this.held.filter((res) => !res.destroyed && !res.writableEnded && !res.socket?.destroyed).length;
  }

  release(): void {
    for (const res of this.held.splice(0)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ virtual_machine: { id: 1, label: 'vm1', booted: true } }]));
    }
  }
}

/**
 * The refusal comes after a read: the backups of an instance the OnApp account does not list are
 * NOT_FOUND once its VM list is read (a page size out of bounds, refused before any read, would
 * not show that the held read is stopped).
 */
const MISSING_INSTANCE = encodeId('Instance', 'onapp-test', ['999999']);
const SLOW_AND_REFUSED = `{ slow: instances(providerId: "onapp-slow") { edges { node { nativeId } } } refused: backups(filter: { instanceId: "${MISSING_INSTANCE}" }, first: 1) { edges { node { id } } } }`;
/** A backup's instance's backups: 1 + 40 + 1,600 items at the wide account, priced at 31, past the 300 `limits.maxCost` allows as the query runs. */
const FAN_OUT_BESIDE_SLOW = '{ slow: instances(providerId: "onapp-slow") { edges { node { nativeId } } } fan: instances(providerId: "onapp-wide", first: 1) { edges { node { backups { instance { backups { id } } } } } } }';
const SLOW_ONLY = '{ instances(providerId: "onapp-slow") { edges { node { nativeId } } } }';

/**
 * A query whose non-null root field is refused answers `data: null` whatever its other fields do,
 * but graphql-jit answered only once every field it started had settled: the refusal beside a read
 * of a slow account waited for that read, and past `limits.answerDeadlineMs` was answered 504 as
 * work the gateway lost. It answers as soon as the refusal is known, and its reads stop, a read
 * shared with another request going on for that one.
 */
describe("a query refused at a non-null root field answers at once, not when its other reads end", () => {
  let harness: Harness;
  const onapp = new HoldingOnapp();
  const wide = wideOnapp();

  beforeAll(async () => {
    await new Promise<void>((resolve) => onapp.server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => wide.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withLimits({ answerDeadlineMs: 600_000, maxCost: 300 }),
        withAccountCopy('onapp', { id: 'onapp-slow', url: onapp.url, retries: 0, cacheTtlMs: 0, timeoutMs: 120_000 }),
        withAccountCopy('onapp', { id: 'onapp-wide', url: `http://127.0.0.1:${(wide.address() as AddressInfo).port}`, retries: 0, cacheTtlMs: 0 }),
      ],
    });
  });
  afterAll(async () => {
    onapp.release();
    await harness?.close();
    onapp.server.closeAllConnections();
    await new Promise<void>((resolve) => onapp.server.close(() => resolve()));
    wide.closeAllConnections();
    await new Promise<void>((resolve) => wide.close(() => resolve()));
  });

  it('answers the refusal while the slow read is held, and stops that read', async () => {
    const arrived = once(onapp, 'held');
    const answer = await harness.gql(SLOW_AND_REFUSED);
    await arrived;
    expect(answer.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(answer.errors?.[0]?.path).toEqual(['refused']);
    // The read no answer needs is dropped: its connection closes at the provider.
    await new Promise<void>((resolve) => {
      const look = (): void => (onapp.holding === 0 ? resolve() : void setImmediate(look));
      look();
    });
  }, 20_000);

  it('answers over WebSocket as over HTTP', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const arrived = once(onapp, 'held');
      const answer = await wsRun(client, SLOW_AND_REFUSED);
      await arrived;
      expect(answer.data).toBeNull();
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    } finally {
      await client.dispose();
    }
  }, 20_000);

  it('answers a query whose lists passed limits.maxCost as they ran at once too, its other read stopped', async () => {
    const arrived = once(onapp, 'held');
    const answer = await harness.gql(FAN_OUT_BESIDE_SLOW);
    await arrived;
    expect(answer.data ?? null).toBeNull();
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain('limits.maxCost');
    await new Promise<void>((resolve) => {
      const look = (): void => (onapp.holding === 0 ? resolve() : void setImmediate(look));
      look();
    });
  }, 20_000);

  it("leaves a read it shares with another request: the other's answer still comes", async () => {
    const arrived = once(onapp, 'held');
    const other = harness.gql<{ instances: { edges: Array<{ node: { nativeId: string } }> } }>(SLOW_ONLY);
    await arrived;
    const refused = await harness.gql(SLOW_AND_REFUSED);
    expect(refused.data).toBeNull();
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
    expect(onapp.holding).toBe(1);
    onapp.release();
    const answer = await other;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.edges.map((edge) => edge.node.nativeId)).toEqual(['1']);
  }, 20_000);
});
