import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayError, notFound } from '../../src/domain/errors.js';
import type { Instance, Operation } from '../../src/domain/types.js';
import { RowsLeftOutBesideLookups } from '../../src/gateway/lookups-beside-rows-left-out.js';
import { backupId, definitionId, instanceId, operationId, scheduleId } from '../../src/gateway/ids.js';
import type { RequestReads } from '../../src/gateway/request-reads.js';
import { lookedInById, lookupAt, nodeAt, operationAt } from '../../src/graphql/resolvers/lookup-paths.js';

const row = () => ({ providerId: 'danube', nativeId: 'b1', instanceNativeId: 'web', keyExtra: [] });

describe('lookedInById: the list a row id is looked up in', () => {
  it('names the list and instance of a backup, schedule or definition id', () => {
    expect(lookedInById(backupId(row()))).toEqual({ list: 'backups', providerId: 'danube', instanceNativeId: 'web' });
    expect(lookedInById(scheduleId(row()))).toEqual({ list: 'schedules', providerId: 'danube', instanceNativeId: 'web' });
    expect(lookedInById(definitionId(row()))).toEqual({ list: 'definitions', providerId: 'danube', instanceNativeId: 'web' });
  });

  it('answers null for an instance id, an operation id or a malformed one, never throwing', () => {
    expect(lookedInById(instanceId({ providerId: 'danube', nativeId: 'web' }))).toBeNull();
    expect(lookedInById(operationId({ providerId: 'danube', kind: 'CREATE_BACKUP', startedAt: new Date(0), instanceNativeId: 'web', backupNativeId: null, token: [] }))).toBeNull();
    expect(lookedInById('not an id')).toBeNull();
  });
});

/** A request's reads as the lookups use them: its rows left out, and the listed id of a re-spelt one. */
function readsWith(leftOutOf: { list: 'backups' | 'schedules'; instance: string | null } | null, nodes: { instance?: Instance; operation?: Operation } = {}) {
  const rowsLeftOut = new RowsLeftOutBesideLookups(() => undefined);
  if (leftOutOf !== null) rowsLeftOut.note({ provider: 'danube', list: leftOutOf.list, instanceNativeId: leftOutOf.instance, reason: 'an id of 2000 bytes' });
  const listedAsked: string[] = [];
  const reads = {
    rowsLeftOut,
    listedInstanceId: async (_provider: string, nativeId: string): Promise<string> => {
      listedAsked.push(nativeId);
      return nativeId.toLowerCase();
    },
    findProvider: (): null => null,
    instance: async (): Promise<Instance | null> => nodes.instance ?? null,
    backup: async (): Promise<null> => null,
    operation: async (): Promise<Operation | null> => nodes.operation ?? null,
  };
  return { reads: reads as unknown as RequestReads, rowsLeftOut, listedAsked };
}

const info = { path: { prev: { prev: undefined, key: 'data' }, key: 'backup' } } as unknown as GraphQLResolveInfo;
const place = { list: 'backups' as const, providerId: 'danube', instanceNativeId: 'WEB' };
const pathsOf = (rowsLeftOut: RowsLeftOutBesideLookups): unknown[] => rowsLeftOut.entries().flatMap((entry) => entry.paths);

describe('lookupAt: a lookup that found nothing names its path where its list left rows out', () => {
  it('names the path of a lookup answered null, the list found under its listed id', async () => {
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: 'web' });
    expect(await lookupAt(reads, info, Promise.resolve(null), () => place)).toBeNull();
    expect(pathsOf(rowsLeftOut)).toEqual([['data', 'backup']]);
  });

  it('names the path of a lookup refused NOT_FOUND, and the refusal still reaches the client', async () => {
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: 'web' });
    const refusal = notFound('backup', 'danube');
    await expect(lookupAt(reads, info, Promise.reject(refusal), () => place)).rejects.toBe(refusal);
    expect(pathsOf(rowsLeftOut)).toEqual([['data', 'backup']]);
  });

  it('names no path for a lookup that found its row, or failed otherwise', async () => {
    const found = readsWith({ list: 'backups', instance: 'web' });
    expect(await lookupAt(found.reads, info, { id: 'b1' }, () => place)).toEqual({ id: 'b1' });
    expect(pathsOf(found.rowsLeftOut)).toEqual([]);
    const failed = readsWith({ list: 'backups', instance: 'web' });
    const unavailable = new GatewayError('PROVIDER_UNAVAILABLE', 'danube did not answer');
    await expect(lookupAt(failed.reads, info, Promise.reject(unavailable), () => place)).rejects.toBe(unavailable);
    await expect(lookupAt(failed.reads, info, Promise.reject(new Error('not a gateway error')), () => place)).rejects.toThrow('not a gateway error');
    expect(pathsOf(failed.rowsLeftOut)).toEqual([]);
  });

  it('works nothing out where no list left a row out, or the id names no row list', async () => {
    const none = readsWith(null);
    let placesAsked = 0;
    expect(await lookupAt(none.reads, info, null, () => (placesAsked += 1, place))).toBeNull();
    expect(placesAsked).toBe(0);
    expect(none.listedAsked).toEqual([]);
    const notARow = readsWith({ list: 'backups', instance: 'web' });
    expect(await lookupAt(notARow.reads, info, null, () => null)).toBeNull();
    expect(notARow.listedAsked).toEqual([]);
    expect(pathsOf(notARow.rowsLeftOut)).toEqual([]);
  });
});

const operation = (backupNativeId: string | null, instanceNativeId: string | null = 'web'): Operation => ({
  providerId: 'danube',
  kind: 'CREATE_BACKUP',
  startedAt: new Date(0),
  instanceNativeId,
  backupNativeId,
  token: [],
  status: 'RUNNING',
  finishedAt: null,
  error: null,
  providerOperationId: null,
});

describe('operationAt: an operation read from its instance\'s backups', () => {
  it('names its path where it names no backup (the row left out may be its backup)', async () => {
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: 'web' });
    const answered = operation(null);
    expect(await operationAt(reads, info, Promise.resolve(answered))).toBe(answered);
    expect(pathsOf(rowsLeftOut)).toEqual([['data', 'backup']]);
  });

  it('says nothing of the row left out where it names its backup (that row is not it)', async () => {
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: 'web' });
    await operationAt(reads, info, Promise.resolve(operation('b1')));
    expect(rowsLeftOut.entries()).toEqual([]);
  });

  it('leaves the list\'s error as it was for an operation of no instance, or none found', async () => {
    const noInstance = readsWith({ list: 'backups', instance: 'web' });
    await operationAt(noInstance.reads, info, Promise.resolve(operation(null, null)));
    expect(noInstance.rowsLeftOut.entries().map((entry) => entry.paths)).toEqual([[]]);
    // a row of no VM left out of the account's backups: an operation of no instance is not its backup's
    const rowOfNoVm = readsWith({ list: 'backups', instance: null });
    await operationAt(rowOfNoVm.reads, info, Promise.resolve(operation(null, null)));
    await operationAt(rowOfNoVm.reads, info, Promise.resolve(operation('b1', null)));
    expect(rowOfNoVm.rowsLeftOut.entries().map((entry) => entry.paths)).toEqual([[]]);
    const none = readsWith({ list: 'backups', instance: 'web' });
    expect(await operationAt(none.reads, info, Promise.resolve(null))).toBeNull();
    expect(none.rowsLeftOut.entries().map((entry) => entry.paths)).toEqual([[]]);
  });
});

describe('nodeAt: node(id:) as a lookup of a row, or of an operation', () => {
  it('names the path of a backup it found not, the list found under its listed id', async () => {
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: 'web' });
    expect(await nodeAt(reads, info, backupId({ ...row(), instanceNativeId: 'WEB' }))).toBeNull();
    expect(pathsOf(rowsLeftOut)).toEqual([['data', 'backup']]);
  });

  it('names the path of an operation naming no backup, and keeps quiet for one naming its backup', async () => {
    const naming = operation(null);
    const nameless = readsWith({ list: 'backups', instance: 'web' }, { operation: naming });
    expect(await nodeAt(nameless.reads, info, operationId(naming))).toBe(naming);
    expect(pathsOf(nameless.rowsLeftOut)).toEqual([['data', 'backup']]);
    const named = operation('b1');
    const withBackup = readsWith({ list: 'backups', instance: 'web' }, { operation: named });
    await nodeAt(withBackup.reads, info, operationId(named));
    expect(withBackup.rowsLeftOut.entries()).toEqual([]);
  });

  it('reads an instance found as no operation: the account\'s rows of no VM left out keep their error', async () => {
    const web: Instance = { providerId: 'danube', nativeId: 'web', name: 'web', state: null, raw: {} };
    const { reads, rowsLeftOut } = readsWith({ list: 'backups', instance: null }, { instance: web });
    expect(await nodeAt(reads, info, instanceId({ providerId: 'danube', nativeId: 'web' }))).toBe(web);
    expect(rowsLeftOut.entries().map((entry) => entry.paths)).toEqual([[]]);
  });
});
