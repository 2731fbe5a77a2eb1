import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { CREATE_ORDER_NAMESPACE, CREATE_ORDER_STORE_WAIT_MS, CreateOrder, PLACE_TAKE_STORE_WAIT_MS } from '../../src/state/create-order.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { UNLISTED_CREATE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import { errorCodes, gqlAt, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { CREATE, OPERATION, backupIdsOf, finishedBackup, highestBackupId, instanceIds, listsBeforeEitherPost, type Created, type Polled } from '../helpers/onapp-creates.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * An OnApp create takes its place among the creates of its disk in Redis
 * before its POST (CreateOrder). A Redis slow for a moment (its reply held
 * past the store's wait) must leave every create with its own backup
 * or a typed refusal: never one backup told to two creates, never a place
 * held by no create. The gateway reaches Redis through a proxy that holds
 * the reply; a second replica reaches it directly.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** An OnApp create's first place as CreateOrder takes it: SET <prefix>create-order:<account>:<disk>:<highest>:1 ... NX. */
const FIRST_PLACE = /create-order:[^\r]*:1\r\n[\s\S]*\r\nNX\r\n/;
/** The read of that place (a GET): how a take answered "taken" tells its own place from another's. */
const FIRST_PLACE_READ = /\r\nget\r\n[^\r]*\r\n[^\r]*create-order:[^\r]*:1\r\n/i;
/** A take's first read of its series (an MGET of the places and the open mark). */
const SERIES_READ = /\r\nmget\r\n[\s\S]*create-order:/i;
/** The read of a full series' found places (an MGET of its 32 places, without the open mark a take reads too). */
const FOUND_PLACES_READ = /\r\nmget\r\n[\s\S]*create-order:[^\r]*:32\r\n(?!\$\d+\r\n[^\r]*:open\r\n)/i;
/** Past a poll's wait for the store (CREATE_ORDER_STORE_WAIT_MS), and short enough that what follows it is answered within one. */
const SPIKE_MS = CREATE_ORDER_STORE_WAIT_MS + 150;
/** As SPIKE_MS, for a take's wait (PLACE_TAKE_STORE_WAIT_MS, a mutation's). */
const TAKE_SPIKE_MS = PLACE_TAKE_STORE_WAIT_MS + 150;

describe.skipIf(!redis.url)(redisSuite('an OnApp create whose place cannot be read in time', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let harness: Harness;
  let other: RunningGateway;
  let direct: RedisStore;
  let simulator: OnappSimulator;
  const posts = () => harness.simulator('onapp').server.count((request) => request.method === 'POST');

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const behindProxy = new RedisStore(proxy.url, prefix);
    direct = new RedisStore(redis.url as string, prefix);
    await Promise.all([behindProxy.ready(), direct.ready()]);
    // No read coalescing: each create's list read is its own call.
    harness = await startHarness({ kinds: ['onapp'], store: behindProxy, configure: withProviderSettings({ coalesceReads: false }) });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: direct });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(async () => {
    await other?.close();
    await harness?.close();
    await direct?.close();
    await proxy?.close();
  });

  it('a take answered "taken" whose own place cannot be read is refused before its POST, and its place is given back', async () => {
    const vm = (await instanceIds(harness))[1]!;
    const before = highestBackupId(simulator);
    const postsBefore = posts();
    // The take runs in Redis, its answer lost; sent again once reconnected, it answers "taken",
    // and the read that would tell it is the take's own comes after the store's wait.
    const dropped = proxy.dropReplyTo(FIRST_PLACE);
    void proxy.delayReplyTo(FIRST_PLACE_READ, TAKE_SPIKE_MS);
    const input = { instanceId: vm.id, name: 'place-unread', idempotencyKey: randomUUID() };
    const refused = await harness.gql<Created>(CREATE, { input });
    // The held read is not waited for: should ioredis's reconnect and re-sent take outlast the
    // store's wait themselves, the take, unanswered, is refused the same way without reading its
    // place (waiting for that read hung the test for its 30 s).
    await dropped;
    // Taken for another's, the place stayed held by no create and this create took place 2:
    // OnApp's one new backup went to place 1, and the create stayed PENDING beside it.
    expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toContain('nothing was sent to OnApp');
    expect(posts()).toBe(postsBefore);
    // A refusal that did nothing: the same idempotencyKey acts when sent again. The place was this
    // take's own: given back, the disk's next create takes it and finds its own backup.
    const next = await harness.gql<Created>(CREATE, { input });
    expect(next.errors).toBeUndefined();
    const operation = await finishedBackup(harness.gql.bind(harness), next.data!.createBackup!.operation.id);
    expect(operation.status).toBe('SUCCEEDED');
    expect([operation.backup?.nativeId]).toEqual(backupIdsOf(simulator, vm.nativeId, before));
  });

  it('a take whose series cannot be read is refused before its POST, not sent as the first of its disk beside the create holding place 1', async () => {
    const vm = (await instanceIds(harness))[2]!;
    const before = highestBackupId(simulator);
    const postsBefore = posts();
    // Both creates read the backup list before either one's POST: one series.
    listsBeforeEitherPost(harness);
    const delayed = proxy.delayReplyTo(SERIES_READ, TAKE_SPIKE_MS);
    const [slow, held] = await Promise.all([
      harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'series-unread' } }),
      gqlAt(other.graphqlUrl)<Created>(CREATE, { input: { instanceId: vm.id, name: 'holds-place-1' } }),
    ]);
    await delayed;
    // Gone ahead placeless it read as place 1 too: both creates were told of the first new backup.
    expect(errorCodes(slow)).toEqual(['STORE_UNAVAILABLE']);
    expect(posts()).toBe(postsBefore + 1);
    expect(held.errors).toBeUndefined();
    const operation = await finishedBackup(gqlAt(other.graphqlUrl), held.data!.createBackup!.operation.id);
    expect(operation.status).toBe('SUCCEEDED');
    expect([operation.backup?.nativeId]).toEqual(backupIdsOf(simulator, vm.nativeId, before));
  });

  it('a poll that cannot read the places before its own answers PENDING, not the backup of the create after it', async () => {
    const vm = (await instanceIds(harness))[3]!;
    const before = highestBackupId(simulator);
    const disk = simulator.vms.get(Number(vm.nativeId))!.disks.find((item) => item.primary)!.id;
    const vmHighest = Math.max(...[...simulator.backups.values()].filter((backup) => backup.vmId === Number(vm.nativeId)).map((backup) => backup.id));
    const series = `${harness.providerId('onapp')}:${disk}:${vmHighest}`;
    // A create on another replica holds place 1; its call will fail.
    const failing = new CreateOrder(direct.namespace(CREATE_ORDER_NAMESPACE, { maxEntries: 100 }));
    expect(await failing.take(series, 60_000)).toBe(1);
    listsBeforeEitherPost(harness);
    const answers = await Promise.all(['second', 'third'].map((name) => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const byPlace = new Map(answers.map((answer) => [decodeOperationId(answer.data!.createBackup!.operation.id).token[2], answer.data!.createBackup!.operation.id]));
    expect([...byPlace.keys()].toSorted()).toEqual(['2', '3']);
    // Given up while place 2 is held: marked, so the places after it count it as making nothing.
    await failing.giveUp(series, 1);
    const made = backupIdsOf(simulator, vm.nativeId, before).toSorted((a, b) => Number(a) - Number(b));
    expect(made).toHaveLength(2);
    const onOther = gqlAt(other.graphqlUrl);
    expect((await finishedBackup(onOther, byPlace.get('2')!)).backup?.nativeId).toBe(made[0]);
    expect((await finishedBackup(onOther, byPlace.get('3')!)).backup?.nativeId).toBe(made[1]);
    // Read as if every place before it were open, place 2 was told of place 3's backup.
    const delayed = proxy.delayReplyTo(SERIES_READ, SPIKE_MS);
    const unread = await harness.gql<Polled>(OPERATION, { id: byPlace.get('2')! });
    await delayed;
    expect(unread.errors).toBeUndefined();
    expect(unread.data!.operation).toMatchObject({ status: 'PENDING', backup: null });
    expect(await finishedBackup(harness.gql.bind(harness), byPlace.get('2')!)).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: made[0] } });
  });

  it('a create found long ago, polled again while its places cannot be read, is PENDING, not FAILED', async () => {
    const vm = (await instanceIds(harness))[4]!;
    const before = highestBackupId(simulator);
    const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'found-long-ago' } });
    expect(created.errors).toBeUndefined();
    const found = await finishedBackup(harness.gql.bind(harness), created.data!.createBackup!.operation.id);
    expect([found.backup?.nativeId]).toEqual(backupIdsOf(simulator, vm.nativeId, before));
    // The id the create answers while its backup is unlisted (no backup in it: each poll finds it
    // by its place), read past the 30 minutes an unlisted create is given: a dashboard reading it again later.
    const ref = decodeOperationId(created.data!.createBackup!.operation.id);
    const old = operationId({ ...ref, backupNativeId: null, startedAt: new Date(Date.now() - UNLISTED_CREATE_GIVES_UP_MS - 60_000) });
    expect((await harness.gql<Polled>(OPERATION, { id: old })).data!.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: found.backup?.nativeId } });
    // One read of its places slow: a terminal FAILED said the backup it had found was never made.
    const delayed = proxy.delayReplyTo(SERIES_READ, SPIKE_MS);
    const unread = await harness.gql<Polled>(OPERATION, { id: old });
    await delayed;
    expect(unread.errors).toBeUndefined();
    expect(unread.data!.operation).toMatchObject({ status: 'PENDING', backup: null });
    expect((await harness.gql<Polled>(OPERATION, { id: old })).data!.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: found.backup?.nativeId } });
  });

  it('a create whose series is full and whose found places cannot be read is refused STORE_UNAVAILABLE before its POST, not CONFLICT', async () => {
    const vm = (await instanceIds(harness))[0]!;
    const disk = simulator.vms.get(Number(vm.nativeId))!.disks.find((item) => item.primary)!.id;
    // The highest backup id the create reads (0 for a VM without backups), as the adapter counts it.
    const vmHighest = Math.max(0, ...[...simulator.backups.values()].filter((backup) => backup.vmId === Number(vm.nativeId)).map((backup) => backup.id));
    const series = `${harness.providerId('onapp')}:${disk}:${vmHighest}`;
    // Every place of the series held by finished creates of another replica, whose backups were
    // deleted again (the highest found is above the VM's listed highest, below OnApp's next id):
    // a create moves on to a series counted from it.
    const before = highestBackupId(simulator);
    expect(before).toBeGreaterThan(vmHighest);
    const others = new CreateOrder(direct.namespace(CREATE_ORDER_NAMESPACE, { maxEntries: 100 }));
    for (let place = 1; place <= 32; place++) {
      expect(await others.take(series, 60_000)).toBe(place);
      await others.found(series, place, String(before - 32 + place));
    }
    const postsBefore = posts();
    const delayed = proxy.delayReplyTo(FOUND_PLACES_READ, TAKE_SPIKE_MS);
    const refused = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'found-unread' } });
    await delayed;
    // Read as none found, it was CONFLICT "32 backups of this disk are being created already": the disk's state, not the store's.
    expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
    expect(refused.errors![0]!.message).toContain('nothing was sent to OnApp');
    expect(posts()).toBe(postsBefore);
    // Answered in time, the create moves on and finds its own backup.
    const moved = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'found-read' } });
    expect(moved.errors).toBeUndefined();
    const operation = await finishedBackup(harness.gql.bind(harness), moved.data!.createBackup!.operation.id);
    expect(operation.status).toBe('SUCCEEDED');
    expect([operation.backup?.nativeId]).toEqual(backupIdsOf(simulator, vm.nativeId, before));
  });

  it('creates refused one after another for a slow store write one warn line, not one each', async () => {
    const vm = (await instanceIds(harness))[5]!;
    const placeLines = () => harness.logs.filter((line) => line.includes('while an OnApp create took its place')).length;
    const linesBefore = placeLines();
    for (const name of ['slow-1', 'slow-2', 'slow-3']) {
      const delayed = proxy.delayReplyTo(SERIES_READ, TAKE_SPIKE_MS);
      const refused = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } });
      await delayed;
      expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
    }
    // Each take that timed out wrote its own line: a stalled Redis wrote one per create, as fast as they came.
    // One a period now (none here if an earlier test of this file opened the period).
    expect(placeLines() - linesBefore).toBeLessThanOrEqual(1);
  });
});
