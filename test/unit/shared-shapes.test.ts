import { describe, expect, it } from 'vitest';
import { isBusEvent, isOperationShape } from '../../src/cluster/bus-event-shape.js';
import { NO_GENERATION, cachedEntry, generationKey, generationOf, isClaimedGeneration, listUnder, newClaimedGeneration, newGeneration } from '../../src/gateway/cache-generations.js';
import { isCachedList } from '../../src/gateway/cached-list-shape.js';

// What another replica (or another version, or another writer) put in the shared store or on
// the bus is read, not trusted.

const instance = (nativeId: string, providerId = 'a'): Record<string, unknown> => ({ providerId, nativeId, name: `vm-${nativeId}`, state: null, raw: {} });
const schedule = { providerId: 'a', nativeId: 's1', instanceNativeId: '1', keyExtra: [], name: 'daily', cron: '0 3 * * *', timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {} };
const backup = {
  providerId: 'a', nativeId: 'b1', instanceNativeId: '1', keyExtra: [], name: 'b', status: 'AVAILABLE', origin: null, mode: 'FULL', createdAt: new Date(0), sizeBytes: 1,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
};
const definition = {
  providerId: 'a', nativeId: 'd1', instanceNativeId: '1', keyExtra: [], name: 'd', diskId: 1, schedule, retention: 7, active: true, compression: null,
  bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
};

describe('a list read from the shared read cache', () => {
  it('is served when it is a list of whole records of its kind of the account it is filed under, an empty one included', () => {
    expect(isCachedList([], 'a', 'backups')).toBe(true);
    expect(isCachedList([instance('1'), { ...instance('2'), extra: 'kept' }], 'a', 'instances')).toBe(true);
    expect(isCachedList([backup], 'a', 'backups')).toBe(true);
    expect(isCachedList([schedule], 'a', 'schedules')).toBe(true);
    expect(isCachedList([definition], 'a', 'definitions')).toBe(true);
  });

  // An older or newer replica's records: a field fewer, a value this version has no word for.
  it.each([
    ['an instance without a name', 'instances', [{ providerId: 'a', nativeId: '1', state: null, raw: {} }]],
    ['a backup without keyExtra', 'backups', [{ ...backup, keyExtra: undefined }]],
    ['a backup of a status this version does not know', 'backups', [{ ...backup, status: 'ARCHIVED' }]],
    ['a backup whose date is text', 'backups', [{ ...backup, createdAt: '2024-01-01T00:00:00Z' }]],
    ['a schedule without a cron', 'schedules', [{ ...schedule, cron: null }]],
    ['a definition whose schedule lacks a field', 'definitions', [{ ...definition, schedule: { ...schedule, timezone: undefined } }]],
    ['records of one kind filed as another', 'backups', [instance('1')]],
    ['a kind this version does not cache', 'snapshots', [instance('1')]],
  ])('is a miss when it holds %s', (_name, kind, value) => {
    expect(isCachedList(value, 'a', kind)).toBe(false);
  });

  it.each([
    ['no list', { providerId: 'a', nativeId: '1' }],
    ['null', null],
    ['text', 'list'],
    ['a list holding null', [null]],
    ['a list holding text', ['1']],
    ['a list holding a number', [1]],
    ['a record of another account', [instance('1', 'b')]],
    ['a record with no account', [{ nativeId: '1' }]],
    ['a record whose native id is no text', [{ providerId: 'a', nativeId: 1 }]],
    ['a record with no native id', [{ providerId: 'a' }]],
    ['a bad record after good ones', [instance('1'), instance('2', 'b')]],
  ])('is a miss when it is %s', (_name, value) => {
    expect(isCachedList(value, 'a', 'instances')).toBe(false);
  });
});

describe('cache generations', () => {
  it('reads an absent generation as none, text as itself, anything else as matching no text ever written', () => {
    expect(generationOf(undefined)).toBe(NO_GENERATION);
    expect(NO_GENERATION).toBe('');
    const generation = newGeneration();
    expect(generationOf(generation)).toBe(generation);
    for (const other of [42, null, { generation }, [generation]]) {
      const read = generationOf(other);
      expect(read).not.toBe(NO_GENERATION);
      expect(read).not.toBe(generation);
    }
  });

  it('takes only a claim a read set as one: a write\'s generation, none, or a value of another shape in the key is no claim', () => {
    expect(isClaimedGeneration(newClaimedGeneration())).toBe(true);
    for (const other of [newGeneration(), NO_GENERATION, undefined, null, 42, { generation: newClaimedGeneration() }, [newClaimedGeneration()]]) {
      expect(isClaimedGeneration(other)).toBe(false);
    }
  });

  it('makes a new generation at every invalidation', () => {
    const made = new Set(Array.from({ length: 100 }, newGeneration));
    expect(made.size).toBe(100);
    expect([...made].every((generation) => typeof generation === 'string' && generation.length > 0)).toBe(true);
  });

  it('keeps generation keys apart from every entry key', () => {
    const keys = ['source/acct:backups:vm1', 'source/acct:instances:', generationKey('acct\u0000vm1'), generationKey('acct\u0000')];
    expect(new Set(keys).size).toBe(keys.length);
    // No generation key can be an entry key (`<build>/<account>:<kind>:<nativeId>`) of another instance.
    expect(generationKey('acct\u0000vm1').startsWith('gen\u0000')).toBe(true);
  });

  it('gives an entry’s list only under the generation it holds, and nothing of another shape', () => {
    const generation = newGeneration();
    expect(listUnder(cachedEntry(generation, ['b1']), generation)).toEqual(['b1']);
    expect(listUnder(cachedEntry(generation, ['b1']), NO_GENERATION)).toBeUndefined();
    expect(listUnder(cachedEntry(NO_GENERATION, []), NO_GENERATION)).toEqual([]);
    for (const other of [undefined, null, 'b1', ['b1'], { list: ['b1'] }, { generation: 42, list: ['b1'] }, [generation, ['b1']]]) {
      expect(listUnder(other, NO_GENERATION)).toBeUndefined();
      expect(listUnder(other, generation)).toBeUndefined();
    }
  });
});

const operation = () => ({
  providerId: 'p',
  kind: 'CREATE_BACKUP',
  status: 'RUNNING',
  startedAt: new Date('2024-01-01T00:00:00Z'),
  finishedAt: null,
  instanceNativeId: 'vm1',
  backupNativeId: null,
  error: null,
  providerOperationId: 'job-1',
  token: ['job-1'],
});

describe('an operation event from another replica', () => {
  it('is taken with every field of its type', () => {
    expect(isOperationShape(operation())).toBe(true);
    for (const kind of ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS']) expect(isOperationShape({ ...operation(), kind })).toBe(true);
    for (const status of ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']) expect(isOperationShape({ ...operation(), status })).toBe(true);
    expect(
      isOperationShape({
        ...operation(),
        status: 'FAILED',
        finishedAt: new Date('2024-01-01T00:01:00Z'),
        instanceNativeId: null,
        backupNativeId: 'b1',
        error: 'failed',
        providerOperationId: null,
        token: [],
        backupKeyExtra: ['disk-1'],
        backupInstanceNativeId: 'web-2',
        errorCode: 'NOT_FOUND',
        providerErrorCode: 'SYS.1003',
      }),
    ).toBe(true);
  });

  it.each([
    ['no record', 'status'],
    ['null', null],
    ['a list', [operation()]],
    ['no account', { ...operation(), providerId: 7 }],
    ['an unknown kind', { ...operation(), kind: 'COPY_BACKUP' }],
    ['an unknown status', { ...operation(), status: 'DONE' }],
    ['a start time as text', { ...operation(), startedAt: '2024-01-01T00:00:00Z' }],
    ['an invalid start time', { ...operation(), startedAt: new Date('nonsense') }],
    ['no finish field', { ...operation(), finishedAt: undefined }],
    ['an invalid finish time', { ...operation(), finishedAt: new Date('nonsense') }],
    ['an instance id as a number', { ...operation(), instanceNativeId: 1 }],
    ['no instance field', { ...operation(), instanceNativeId: undefined }],
    ['a backup id as a number', { ...operation(), backupNativeId: 1 }],
    ['an error as a record', { ...operation(), error: { message: 'x' } }],
    ['a provider operation id as a number', { ...operation(), providerOperationId: 1 }],
    ['no token', { ...operation(), token: undefined }],
    ['a token as text', { ...operation(), token: 'job-1' }],
    ['a token holding a number', { ...operation(), token: ['job-1', 2] }],
    ['a backup key as text', { ...operation(), backupKeyExtra: 'disk-1' }],
    ['a backup key holding null', { ...operation(), backupKeyExtra: [null] }],
    ['the instance listing the backup as a number', { ...operation(), backupInstanceNativeId: 7 }],
    ['an error code the gateway does not have', { ...operation(), errorCode: 'GONE' }],
    ['a provider error code as a number', { ...operation(), providerErrorCode: 1003 }],
  ])('is dropped with %s', (_name, value) => {
    expect(isOperationShape(value)).toBe(false);
    expect(isBusEvent({ type: 'status', operation: value })).toBe(false);
  });
});

describe('a bus event', () => {
  it('is taken when its type carries what it must', () => {
    expect(isBusEvent({ type: 'status', operation: operation() })).toBe(true);
    expect(isBusEvent({ type: 'error', code: 'PROVIDER_UNAVAILABLE', message: 'down' })).toBe(true);
    expect(isBusEvent({ type: 'error', code: 'INTERNAL_SERVER_ERROR', message: '' })).toBe(true);
    expect(isBusEvent({ type: 'released' })).toBe(true);
  });

  it.each([
    ['no record', 'released'],
    ['null', null],
    ['a list', [{ type: 'released' }]],
    ['an unknown type', { type: 'finished' }],
    ['no type', {}],
    ['a status without an operation', { type: 'status' }],
    ['an error with an unknown code', { type: 'error', code: 'OOPS', message: 'x' }],
    ['an error without a code', { type: 'error', message: 'x' }],
    ['an error whose message is no text', { type: 'error', code: 'PROVIDER_UNAVAILABLE', message: { text: 'x' } }],
    ['an error without a message', { type: 'error', code: 'PROVIDER_UNAVAILABLE' }],
  ])('is dropped when it is %s', (_name, value) => {
    expect(isBusEvent(value)).toBe(false);
  });
});
