import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { UNLISTED_CREATE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { CREATE_ORDER_NAMESPACE, GIVEN_UP_KEPT_MS, MOST_OVERLAPPING_CREATES, PLACE_TAKE_STORE_WAIT_MS } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { decodeStored } from '../../src/state/stored-json.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, startHarness, withHarness, withProviderSettings, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { type Ask, CREATE, type Created, OPERATION, type Polled, backupIdsOf, finishedBackup, highestBackupId, instanceIds, listsBeforeEitherPost } from '../helpers/onapp-creates.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * OnApp answers a create with no record: each create looks for its backup
 * among the disk's new ones. Two creates of one disk at once must each end
 * with a backup of its own, on one gateway or on two sharing Redis.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const askVia =
  (gateway: RunningGateway): Ask =>
  async <T>(query: string, variables: Record<string, unknown>) => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ...(JSON.parse(text) as { data?: T; errors?: GraphQLAnswer<T>['errors'] }) };
  };

async function expectTwoBackupsOfTheirOwn(simulator: OnappSimulator, vmNativeId: string, before: number, answers: Array<GraphQLAnswer<Created>>, asks: Ask[]): Promise<void> {
  for (const answer of answers) expect(answer.errors).toBeUndefined();
  const [first, second] = answers.map((answer) => answer.data!.createBackup!.operation.id) as [string, string];
  expect(first).not.toBe(second);
  const made = await Promise.all([finishedBackup(asks[0]!, first), finishedBackup(asks[1]!, second)]);
  expect(made.map((operation) => operation.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  const reported = made.map((operation) => operation.backup?.nativeId);
  expect(new Set(reported).size).toBe(2);
  expect(reported.toSorted()).toEqual(backupIdsOf(simulator, vmNativeId, before).toSorted());
}

describe('onapp: overlapping creates of one disk (one gateway)', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let instances: Array<{ id: string; nativeId: string }>;
  beforeAll(async () => {
    // No read coalescing: each create's list read is its own call, so the order of the two is the test's.
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ coalesceReads: false }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    instances = await instanceIds(harness);
  });
  afterAll(() => harness.close());

  it('gives two creates at once (one with an idempotency key, one without) a backup each', async () => {
    const vm = instances[2]!;
    const before = highestBackupId(simulator);
    await listsBeforeEitherPost(harness);
    const answers = await Promise.all([
      harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'first', idempotencyKey: randomUUID() } }),
      harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'second' } }),
    ]);
    expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBeGreaterThanOrEqual(2);
    await expectTwoBackupsOfTheirOwn(simulator, vm.nativeId, before, answers, [harness.gql, harness.gql]);
  });

  it('gives two creates at once with different idempotency keys a backup each', async () => {
    const vm = instances[3]!;
    const before = highestBackupId(simulator);
    await listsBeforeEitherPost(harness);
    const answers = await Promise.all(['a', 'b'].map((name) => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name, idempotencyKey: randomUUID() } })));
    await expectTwoBackupsOfTheirOwn(simulator, vm.nativeId, before, answers, [harness.gql, harness.gql]);
  });

  it('a create refused by OnApp gives its place up: the next create of the disk finds its own backup', async () => {
    const vm = instances[4]!;
    const simVm = simulator.vms.get(Number(vm.nativeId))!;
    simVm.locked = true;
    const refused = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'refused' } });
    simVm.locked = false;
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    const before = highestBackupId(simulator);
    const next = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'next' } });
    expect(next.errors).toBeUndefined();
    const operation = await finishedBackup(harness.gql, next.data!.createBackup!.operation.id);
    expect(operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: backupIdsOf(simulator, vm.nativeId, before)[0] } });
  });

  it('a first create refused after a second took the next place: the second finds the one new backup, not a backup to come', async () => {
    const vm = instances[5]!;
    const before = highestBackupId(simulator);
    // The first POST is refused, as a locked VM's is, once the second create has taken its place.
    // A create takes its place before its POST: the first POST's arrival says place 1 is taken,
    // the second's that place 2 is.
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    let posts = 0;
    let firstPosted!: () => void;
    const firstHasPosted = new Promise<void>((resolve) => (firstPosted = resolve));
    let secondPosted!: () => void;
    const secondHasPosted = new Promise<void>((resolve) => (secondPosted = resolve));
    handled.handle = async (request) => {
      if (request.method !== 'POST') return handle(request);
      const post = ++posts;
      if (post === 2) secondPosted();
      if (post !== 1) return handle(request);
      firstPosted();
      await secondHasPosted;
      return { status: 422, json: { errors: { base: ['Virtual server is locked'] } } };
    };
    try {
      const first = harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'first' } });
      await firstHasPosted;
      const second = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'second' } });
      expect(errorCodes(await first)).toEqual(['CONFLICT']);
      expect(second.errors).toBeUndefined();
      const operation = await finishedBackup(harness.gql, second.data!.createBackup!.operation.id);
      expect(backupIdsOf(simulator, vm.nativeId, before)).toHaveLength(1);
      expect(operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: backupIdsOf(simulator, vm.nativeId, before)[0] } });
    } finally {
      delete (handled as Partial<typeof handled>).handle;
    }
  });
});

describe('onapp: creates of one disk that read different highest ids', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ coalesceReads: false }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('a create that read a newer highest id never takes the backup of an older create still unlisted (A, C read 10; A made 11; B read 11)', async () => {
    const vm = (await instanceIds(harness))[2]!;
    const before = highestBackupId(simulator);
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    let posts = 0;
    let firstMade!: () => void;
    const firstIsMade = new Promise<void>((resolve) => (firstMade = resolve));
    let letSecondThrough!: () => void;
    const secondMayGo = new Promise<void>((resolve) => (letSecondThrough = resolve));
    let secondArrived!: () => void;
    const secondIsHeld = new Promise<void>((resolve) => (secondArrived = resolve));
    // The first POST goes through; the second waits until the third (B's) has made its backup.
    handled.handle = async (request) => {
      if (request.method !== 'POST') return handle(request);
      const post = ++posts;
      if (post === 2) {
        secondArrived();
        await secondMayGo;
      }
      const answer = await handle(request);
      if (post === 1) firstMade();
      return answer;
    };
    try {
      await listsBeforeEitherPost(harness);
      const overlapping = ['a', 'c'].map((name) => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } }));
      // Both A's and C's POSTs in before B is asked: under load C's could come after B's, and B's,
      // taken for the second, was held until it timed out.
      await Promise.all([firstIsMade, secondIsHeld]);
      const madeFirst = backupIdsOf(simulator, vm.nativeId, before);
      expect(madeFirst).toHaveLength(1);
      const later = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'b' } });
      expect(later.errors).toBeUndefined();
      // B read the backup A made: a series of its own.
      const [, laterHighest] = decodeOperationId(later.data!.createBackup!.operation.id).token;
      expect(laterHighest).toBe(madeFirst[0]);
      letSecondThrough();
      const answers = [...(await Promise.all(overlapping)), later];
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const made = await Promise.all(answers.map((answer) => finishedBackup(harness.gql, answer.data!.createBackup!.operation.id)));
      expect(made.map((operation) => operation.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      const reported = made.map((operation) => operation.backup?.nativeId);
      expect(new Set(reported).size).toBe(3);
      expect(reported.toSorted()).toEqual(backupIdsOf(simulator, vm.nativeId, before).toSorted());
    } finally {
      delete (handled as Partial<typeof handled>).handle;
    }
  });
});

describe.skipIf(!redis.url)(redisSuite('onapp: overlapping creates of one disk on two gateway processes sharing Redis', redis), () => {
  let harness: Harness;
  let second: RunningGateway;
  let simulator: OnappSimulator;
  // One key prefix for both gateways (and none shared with other test runs).
  const prefix = `bg-test-${randomUUID()}:`;
  beforeAll(async () => {
    const stores = [new RedisStore(redis.url as string, prefix), new RedisStore(redis.url as string, prefix)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['onapp'], store: stores[0] });
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(async () => {
    await second.close();
    await harness.close();
    const client = new Redis(redis.url as string);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('gives a create sent to each at the same moment a backup each', async () => {
    const vm = (await instanceIds(harness))[2]!;
    const before = highestBackupId(simulator);
    await listsBeforeEitherPost(harness);
    const viaSecond = askVia(second);
    const answers = await Promise.all([harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'here' } }), viaSecond<Created>(CREATE, { input: { instanceId: vm.id, name: 'there' } })]);
    await expectTwoBackupsOfTheirOwn(simulator, vm.nativeId, before, answers, [harness.gql, viaSecond]);
    // Places 1 and 2 of the series and its open mark, in a namespace of their own. Each place now
    // holds the backup its operation found, for as long as operations are followed; the mark is
    // held no longer than a create may stay unlisted.
    const [diskId, highest] = decodeOperationId(answers[0]!.data!.createBackup!.operation.id).token;
    const client = new Redis(redis.url as string);
    try {
      const series = `${prefix}create-order:${harness.providerId('onapp')}:${diskId}:${highest}`;
      expect((await client.keys(`${prefix}create-order:*`)).toSorted()).toEqual([`${series}:1`, `${series}:2`, `${series}:open`]);
      const found = (await client.mget(`${series}:1`, `${series}:2`)).map((text) => decodeStored<string>(text ?? ''));
      expect(found.toSorted()).toEqual(backupIdsOf(simulator, vm.nativeId, before).map((id) => `found:${id}`).toSorted());
      for (const place of [1, 2]) expect(await client.pttl(`${series}:${place}`)).toBeGreaterThan(GIVEN_UP_KEPT_MS - 60_000);
      expect(await client.pttl(`${series}:open`)).toBeGreaterThan(UNLISTED_CREATE_GIVES_UP_MS - 60_000);
      expect(await client.pttl(`${series}:open`)).toBeLessThanOrEqual(UNLISTED_CREATE_GIVES_UP_MS);
    } finally {
      await client.quit();
    }
  });
});

/** The gateway's store, with the create places in `places` (to fill, or to silence). */
class StoreWithPlaces extends MemoryStore {
  constructor(private readonly places: KeyValueStore) {
    super();
  }

  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    return name === CREATE_ORDER_NAMESPACE ? this.places : super.namespace(name, options);
  }
}

describe('onapp: creates when the store of places is down or full', () => {
  it('a store that does not answer holds a create no longer than its wait, and refuses it before its call (STORE_UNAVAILABLE, nothing sent)', async () => {
    // Counted, not timed: each call is a wait of PLACE_TAKE_STORE_WAIT_MS; one never ended holds the create until the test's timeout.
    const silentCalls: string[] = [];
    const never = (name: string) => () => {
      silentCalls.push(name);
      return new Promise<never>(() => {});
    };
    const silent = Object.assign(new MemoryStore(), { get: never('get'), getMany: never('getMany'), set: never('set'), setIfAbsent: never('setIfAbsent'), delete: never('delete') });
    await withHarness({ kinds: ['onapp'], store: new StoreWithPlaces(silent) }, async (harness) => {
      const vm = (await instanceIds(harness))[2]!;
      const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'store-down' } });
      // One take's first read, waited for as a mutation waits for the store, then refused: no second wait.
      expect(silentCalls, `the create waited on the silent store ${silentCalls.length} times (each up to ${PLACE_TAKE_STORE_WAIT_MS} ms)`).toEqual(['getMany']);
      // Gone ahead placeless it read as the first of its disk, beside the create holding place 1: both told of one backup.
      expect(errorCodes(created)).toEqual(['STORE_UNAVAILABLE']);
      expect(created.errors![0]!.message).toContain('nothing was sent to OnApp');
      expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBe(0);
      expect(harness.logs.some((line) => line.includes('the store did not answer in time while an OnApp create took its place'))).toBe(true);
    });
  });

  it('reads an operation id made before places (no place in it) as the first create of its disk', async () => {
    await withHarness({ kinds: ['onapp'] }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const vm = (await instanceIds(harness))[3]!;
      const before = highestBackupId(simulator);
      const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'placed' } });
      const ref = decodeOperationId(created.data!.createBackup!.operation.id);
      expect(ref.token).toHaveLength(3);
      const older = operationId({ ...ref, token: ref.token.slice(0, 2) });
      expect(await finishedBackup(harness.gql, older)).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: backupIdsOf(simulator, vm.nativeId, before)[0] } });
    });
  });

  it('an operation id made up for a place no create took records nothing in the store', async () => {
    const places = new MemoryStore();
    await withHarness({ kinds: ['onapp'], store: new StoreWithPlaces(places) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const vm = (await instanceIds(harness))[3]!;
      const before = highestBackupId(simulator);
      const first = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'first' } });
      const ref = decodeOperationId(first.data!.createBackup!.operation.id);
      expect(await finishedBackup(harness.gql, first.data!.createBackup!.operation.id)).toMatchObject({ status: 'SUCCEEDED' });
      // A backup of the disk no create asked for (a schedule's) shows up.
      const made = simulator.backups.get(Number(backupIdsOf(simulator, vm.nativeId, before)[0]))!;
      simulator.backups.set(highestBackupId(simulator) + 1, { ...made, id: highestBackupId(simulator) + 1 });
      // Place 2 of the first's series was never taken: read, it names that backup, but must not claim it.
      const madeUp = operationId({ ...ref, backupNativeId: null, token: [ref.token[0]!, ref.token[1]!, '2'] });
      expect((await harness.gql<Polled>(OPERATION, { id: madeUp })).data?.operation.status).toBe('SUCCEEDED');
      const series = `${harness.providerId('onapp')}:${ref.token[0]}:${ref.token[1]}`;
      expect(await places.get(`${series}:2`)).toBeUndefined();
      expect(await places.get(`${series}:1`)).toBe(`found:${made.id}`);
    });
  });

  it(`refuses a create with CONFLICT, before its POST, when ${MOST_OVERLAPPING_CREATES} creates of the disk are under way`, async () => {
    const places = new MemoryStore();
    await withHarness({ kinds: ['onapp'], store: new StoreWithPlaces(places) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const vm = (await instanceIds(harness))[3]!;
      const simVm = simulator.vms.get(Number(vm.nativeId))!;
      const disk = simVm.disks.find((item) => item.primary)!.id;
      const highest = Math.max(0, ...backupIdsOf(simulator, vm.nativeId, 0).map(Number));
      for (let place = 1; place <= MOST_OVERLAPPING_CREATES; place++) await places.set(`${harness.providerId('onapp')}:${disk}:${highest}:${place}`, 'taken', 60_000);
      harness.resetUpstreamLogs();
      const refused = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'one-too-many' } });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toContain(`${MOST_OVERLAPPING_CREATES} backups of this disk are being created already`);
      expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBe(0);
    });
  });
});
