import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS } from '../../src/domain/clock-skew.js';
import { ID_TYPES, decodeId, decodeIdOf, encodeId } from '../../src/domain/ids.js';
import {
  backupId,
  backupListKey,
  decodeBackupId,
  decodeDefinitionId,
  decodeInstanceId,
  decodeOperationId,
  decodeScheduleId,
  definitionId,
  findByAddress,
  instanceId,
  operationId,
  scheduleId,
} from '../../src/gateway/ids.js';

const raw = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const malformed = expect.objectContaining({ code: 'BAD_USER_INPUT', message: "malformed id: send an id as the gateway answered it (e.g. an Instance's `id`), not a name or the provider's own id" });
/** Where the field wants one type, the refusal names it. */
const malformedInstance = expect.objectContaining({ code: 'BAD_USER_INPUT', message: "malformed id: send an Instance's `id` as the gateway answered it, not a placeholder, a name or the provider's own id" });
const malformedOperation = expect.objectContaining({ code: 'BAD_USER_INPUT', message: "malformed id: send an Operation's `id` as the gateway answered it, not a placeholder, a name or the provider's own id" });

describe('global ids: the encoding', () => {
  it('is base64url of [type tag, provider, ...keys], one tag per type', () => {
    expect(ID_TYPES).toEqual({ Instance: 'I', Backup: 'B', BackupSchedule: 'S', BackupDefinition: 'D', Operation: 'O' });
    expect(encodeId('Instance', 'zomro-nl', ['3'])).toBe(raw(['I', 'zomro-nl', '3']));
    for (const type of Object.keys(ID_TYPES) as Array<keyof typeof ID_TYPES>) expect(decodeId(encodeId(type, 'p', ['k'])).type).toBe(type);
  });

  it('takes up to 12 keys and ids up to 2,048 characters', () => {
    expect(decodeId(raw(['B', 'p', ...Array.from({ length: 12 }, String)])).keys).toHaveLength(12);
    expect(() => decodeId(raw(['B', 'p', ...Array.from({ length: 13 }, String)]))).toThrow(malformed);
    const longest = raw(['B', 'p', 'x'.repeat(1520)]);
    expect(longest.length).toBeLessThanOrEqual(2048);
    expect(decodeId(longest).keys[0]).toHaveLength(1520);
    const tooLong = raw(['B', 'p', 'x'.repeat(1530)]);
    expect(tooLong.length).toBeGreaterThan(2048);
    expect(() => decodeId(tooLong)).toThrow(malformed);
  });

  it('needs a type, a provider and at least one key, all strings', () => {
    for (const parts of [['I', 'p'], ['I'], [], ['I', 'p', 3], ['I', 3, 'k'], { 0: 'I' }, 'I,p,k', ['I', '', 'k'], ['X', 'p', 'k'], ['i', 'p', 'k']]) {
      expect(() => decodeId(raw(parts)), JSON.stringify(parts)).toThrow(malformed);
    }
    expect(decodeId(raw(['I', 'p', '']))).toEqual({ type: 'Instance', providerId: 'p', keys: [''] });
  });

  it('refuses anything but base64url text, and base64url that is not JSON', () => {
    for (const id of ['', 'abc+def', 'abc/def', 'abc=', 'a b', 'Zm9v', '!!!']) expect(() => decodeId(id), id).toThrow(malformed);
    expect(() => decodeId(42 as unknown as string)).toThrow(malformed);
  });

  it('refuses an unpaired surrogate, and keeps a paired one (an emoji)', () => {
    expect(() => decodeId(Buffer.from('["I","p","\\ud800"]').toString('base64url'))).toThrow(malformed);
    expect(() => decodeId(Buffer.from('["I","\\udc00","k"]').toString('base64url'))).toThrow(malformed);
    expect(decodeId(encodeId('Instance', 'p', ['vm 🚀'])).keys).toEqual(['vm 🚀']);
  });

  it('an id of another type is BAD_USER_INPUT naming the argument and both types', () => {
    const backup = encodeId('Backup', 'p', ['vm', 'b1']);
    expect(decodeIdOf('Backup', backup, 'backupId').keys).toEqual(['vm', 'b1']);
    expect(() => decodeIdOf('Instance', backup, 'instanceId')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'instanceId must be the id of an Instance, got a Backup id' }));
  });
});

describe('global ids of domain objects', () => {
  it('an instance id carries the provider and the native id, exactly one key', () => {
    const id = instanceId({ providerId: 'zomro-nl', nativeId: '3' });
    expect(decodeInstanceId(id)).toEqual({ providerId: 'zomro-nl', nativeId: '3' });
    expect(() => decodeInstanceId(encodeId('Instance', 'p', ['']))).toThrow(malformedInstance);
    expect(() => decodeInstanceId(encodeId('Instance', 'p', ['3', 'extra']))).toThrow(malformedInstance);
    expect(() => decodeInstanceId(encodeId('Backup', 'p', ['3']), 'instanceId')).toThrow(expect.objectContaining({ message: 'instanceId must be the id of an Instance, got a Backup id' }));
    expect(() => decodeInstanceId(encodeId('Backup', 'p', ['3']))).toThrow(expect.objectContaining({ message: 'id must be the id of an Instance, got a Backup id' }));
  });

  it("a backup's list key is equal exactly when its global id is, whatever its parts hold", () => {
    const backup = { providerId: 'danube', nativeId: 'daily-1', instanceNativeId: 'web01', keyExtra: ['2'] };
    const variants = [
      backup,
      { ...backup, keyExtra: ['3'] },
      { ...backup, keyExtra: [] },
      { ...backup, keyExtra: ['2', ''] },
      { ...backup, instanceNativeId: 'web02' },
      { ...backup, instanceNativeId: null },
      { ...backup, nativeId: 'daily-2' },
      // Parts that would run together if joined by a separator.
      { ...backup, nativeId: 'daily-1\u00002', keyExtra: [] },
      { ...backup, instanceNativeId: 'web01","daily-1', nativeId: '2', keyExtra: [] },
    ];
    for (const one of variants) {
      for (const other of variants) expect(backupListKey(one) === backupListKey(other), `${backupId(one)} / ${backupId(other)}`).toBe(backupId(one) === backupId(other));
    }
    // An unknown instance is the empty key, as in the global id.
    expect(backupListKey({ ...backup, instanceNativeId: null })).toBe(backupListKey({ ...backup, instanceNativeId: '' }));
    // One provider's list: the provider is not part of the key.
    expect(backupListKey({ nativeId: 'daily-1', instanceNativeId: 'web01', keyExtra: ['2'] })).toBe(backupListKey(backup));
  });

  it('a backup id carries instance, backup and extra keys; an unknown instance is an empty key', () => {
    const backup = { providerId: 'danube', nativeId: 'daily-1', instanceNativeId: 'web01', keyExtra: ['2'] };
    expect(decodeBackupId(backupId(backup))).toEqual({ providerId: 'danube', instanceNativeId: 'web01', nativeId: 'daily-1', keyExtra: ['2'] });
    expect(decodeBackupId(backupId({ ...backup, instanceNativeId: null, keyExtra: [] }))).toEqual({ providerId: 'danube', instanceNativeId: '', nativeId: 'daily-1', keyExtra: [] });
    expect(() => decodeBackupId(encodeId('Backup', 'p', ['vm']))).toThrow(malformed);
    expect(() => decodeBackupId(encodeId('Backup', 'p', ['vm', '']))).toThrow(malformed);
    expect(() => decodeBackupId(scheduleId({ ...backup }), 'backupId')).toThrow(expect.objectContaining({ message: 'backupId must be the id of a Backup, got a BackupSchedule id' }));
  });

  // Ids are remembered per object: each entity object is asked for one kind of id only, so each line uses its own object.
  it('schedule and definition ids carry the same address, each under its own type', () => {
    const owned = { providerId: 'p', nativeId: 'n', instanceNativeId: 'vm', keyExtra: ['d1'] };
    expect(decodeScheduleId(scheduleId(owned))).toEqual({ providerId: 'p', instanceNativeId: 'vm', nativeId: 'n', keyExtra: ['d1'] });
    expect(decodeScheduleId(scheduleId({ ...owned, instanceNativeId: null }))).toMatchObject({ instanceNativeId: '' });
    expect(decodeDefinitionId(definitionId({ ...owned }))).toEqual({ providerId: 'p', instanceNativeId: 'vm', nativeId: 'n', keyExtra: ['d1'] });
    expect(() => decodeDefinitionId(scheduleId({ ...owned }))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decodeScheduleId(definitionId({ ...owned }), 'scheduleId')).toThrow(expect.objectContaining({ message: 'scheduleId must be the id of a BackupSchedule, got a BackupDefinition id' }));
    expect(() => decodeDefinitionId(backupId({ ...owned }), 'definitionId')).toThrow(expect.objectContaining({ message: 'definitionId must be the id of a BackupDefinition, got a Backup id' }));
  });

  it('an entity keeps its id: asked again, the same answer', () => {
    const instance = { providerId: 'p', nativeId: '1' };
    expect(instanceId(instance)).toBe(instanceId(instance));
    expect(instanceId(instance)).toBe(instanceId({ providerId: 'p', nativeId: '1' }));
    expect(instanceId({ providerId: 'p', nativeId: '2' })).not.toBe(instanceId(instance));
  });

  it('an operation id carries the whole reference, with empty keys for unknown instance and backup', () => {
    const ref = { providerId: 'lab', kind: 'RESTORE_BACKUP' as const, startedAt: new Date('2026-01-02T03:04:05.678Z'), instanceNativeId: null, backupNativeId: 'b1', token: ['task-1', 'disk-2'] };
    expect(decodeOperationId(operationId(ref))).toEqual(ref);
    expect(decodeOperationId(operationId({ ...ref, instanceNativeId: 'vm', backupNativeId: null, token: [] }))).toMatchObject({ instanceNativeId: 'vm', backupNativeId: null, token: [] });
    for (const kind of ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS'] as const) expect(decodeOperationId(operationId({ ...ref, kind })).kind).toBe(kind);
  });

  it('an operation id with an unknown kind, a bad start time or missing keys is malformed', () => {
    for (const keys of [['CANCEL', '1', 'vm', 'b'], ['CREATE_BACKUP', 'soon', 'vm', 'b'], ['CREATE_BACKUP', '1.5', 'vm', 'b'], ['CREATE_BACKUP', '1', 'vm'], ['CREATE_BACKUP', '1']]) {
      expect(() => decodeOperationId(encodeId('Operation', 'p', keys)), keys.join()).toThrow(malformedOperation);
    }
    expect(() => decodeOperationId(encodeId('Instance', 'p', ['1']), 'operationId')).toThrow(expect.objectContaining({ message: 'operationId must be the id of an Operation, got an Instance id' }));
  });

  it('an operation id has one spelling of its start time: plain digits below 10^15, as operationId writes them', () => {
    // Each reads as a number, and would give one operation another id (and another poll loop).
    for (const started of ['', ' 1000', '1000 ', '1e3', '0x10', '+1000', '-1000', '01000', '1000.0', '1_000', '８']) {
      expect(() => decodeOperationId(encodeId('Operation', 'p', ['CREATE_BACKUP', started, 'vm', 'b'])), JSON.stringify(started)).toThrow(malformedOperation);
    }
    // Past the year 9999 (and a Date's range, 8.64e15): the answer's startedAt could not be written in RFC 3339.
    for (const started of ['253402300800000', '999999999999999', '8640000000000001', '1000000000000000', '99999999999999999']) {
      expect(() => decodeOperationId(encodeId('Operation', 'p', ['CREATE_BACKUP', started, 'vm', 'b'])), started).toThrow(malformedOperation);
    }
    // Read on a clock at the end of 9999, so the spelling alone is judged, not the start time's distance ahead.
    for (const started of ['0', '7', '253402300799999', '1767323045678']) {
      const ref = decodeOperationId(encodeId('Operation', 'p', ['CREATE_BACKUP', started, 'vm', 'b']), 'id', 253402300799999);
      expect(ref.startedAt.getTime()).toBe(Number(started));
      expect(operationId(ref)).toBe(encodeId('Operation', 'p', ['CREATE_BACKUP', started, 'vm', 'b']));
    }
  });

  it('an operation id that starts more than the clock skew ahead of now is refused; any earlier start is read', () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const startingAt = (startedMs: number) => encodeId('Operation', 'p', ['CREATE_BACKUP', String(startedMs), 'vm', '']);
    const future = expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('operationId is an operation id that starts in the future (9999-12-31T23:59:59.999Z)') });
    expect(() => decodeOperationId(startingAt(253402300799999), 'operationId', now)).toThrow(future);
    expect(() => decodeOperationId(startingAt(now + CLOCK_SKEW_MS + 1), 'id', now)).toThrow(/starts in the future/);
    for (const startedMs of [now + CLOCK_SKEW_MS, now, 0]) expect(decodeOperationId(startingAt(startedMs), 'id', now).startedAt.getTime()).toBe(startedMs);
  });

  it('finds the entity an address names by its own id and all its extra keys', () => {
    const items = [
      { nativeId: 'b1', keyExtra: ['1'] },
      { nativeId: 'b1', keyExtra: ['2'] },
      { nativeId: 'b2', keyExtra: [] },
    ];
    const at = (nativeId: string, keyExtra: string[]) => findByAddress(items, { providerId: 'p', instanceNativeId: 'vm', nativeId, keyExtra });
    expect(at('b1', ['2'])).toBe(items[1]);
    expect(at('b2', [])).toBe(items[2]);
    expect(at('b1', [])).toBeNull();
    expect(at('b1', ['2', 'x'])).toBeNull();
    expect(at('b2', ['1'])).toBeNull();
    expect(at('b3', [])).toBeNull();
  });
});
