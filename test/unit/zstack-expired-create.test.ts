import { describe, expect, it } from 'vitest';
import type { Backup, BackupStatus } from '../../src/domain/types.js';
import { backupOfExpiredCreate, expiredCreateStatus } from '../../src/providers/zstack/expired-create.js';

const STARTED = new Date('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;

/** The fields the expired create's look reads: group uuid, name, creation time, status. */
const group = (nativeId: string, name: string, createdAt: Date | null, status: BackupStatus = 'AVAILABLE', volumeUuids: string[] = []): Backup =>
  ({ nativeId, name, createdAt, status, raw: { groupUuid: nativeId, volumes: volumeUuids.map((uuid) => ({ uuid })) } }) as unknown as Backup;
const at = (offsetMs: number): Date => new Date(STARTED.getTime() + offsetMs);

describe("zstack: an expired create's backup", () => {
  it('the group the create named, when it is listed; none when it is not, even beside a group of its name', () => {
    const named = group('g-named', 'nightly', at(-48 * HOUR));
    const mine = group('g-mine', 'nightly', at(1_000));
    expect(backupOfExpiredCreate([mine, named], 'nightly', 'g-named', STARTED)).toEqual({ backup: named });
    expect(backupOfExpiredCreate([mine], 'nightly', 'g-gone', STARTED)).toBeNull();
  });

  it('else the newest group of its name dated no earlier than 26 hours before the create', () => {
    const older = group('g-1', 'nightly', at(1_000));
    const newest = group('g-2', 'nightly', at(5_000));
    const otherName = group('g-3', 'weekly', at(9_000));
    expect(backupOfExpiredCreate([newest, older, otherName], 'nightly', null, STARTED)).toEqual({ backup: newest });
    expect(backupOfExpiredCreate([older, newest, otherName], 'nightly', null, STARTED)).toEqual({ backup: newest });
    // A node writing another zone's wall clock: dated up to 26 hours before the start, still its own.
    const edge = group('g-edge', 'nightly', at(-26 * HOUR));
    expect(backupOfExpiredCreate([edge], 'nightly', null, STARTED)).toEqual({ backup: edge });
    // Earlier: the last nightly before the create, another backup.
    expect(backupOfExpiredCreate([group('g-old', 'nightly', at(-26 * HOUR - 1))], 'nightly', null, STARTED)).toBeNull();
  });

  it('an undated group, or none of its name, is none', () => {
    expect(backupOfExpiredCreate([group('g-undated', 'nightly', null)], 'nightly', null, STARTED)).toBeNull();
    expect(backupOfExpiredCreate([group('g-1', 'weekly', at(1_000))], 'nightly', null, STARTED)).toBeNull();
    expect(backupOfExpiredCreate([], 'nightly', null, STARTED)).toBeNull();
  });

  it('several of its name in the newest second are counted, none taken; an older tie does not count', () => {
    const tie = [group('g-a', 'nightly', at(5_000)), group('g-b', 'nightly', at(5_000)), group('g-c', 'nightly', at(5_000))];
    expect(backupOfExpiredCreate([...tie, group('g-old', 'nightly', at(1_000))], 'nightly', null, STARTED)).toEqual({ sameSecond: 3 });
    const olderTie = [group('g-a', 'nightly', at(1_000)), group('g-b', 'nightly', at(1_000))];
    const newest = group('g-new', 'nightly', at(2_000));
    expect(backupOfExpiredCreate([...olderTie, newest], 'nightly', null, STARTED)).toEqual({ backup: newest });
    expect(backupOfExpiredCreate([newest, ...olderTie], 'nightly', null, STARTED)).toEqual({ backup: newest });
  });

  it('the group holding the resourceUuid the create sent (as a volume backup or as the group), whatever its name and second', () => {
    const tie = [group('g-a', 'nightly', at(5_000), 'AVAILABLE', ['v-a1', 'v-a2']), group('g-b', 'nightly', at(5_000), 'AVAILABLE', ['v-b1', 'v-b2'])];
    expect(backupOfExpiredCreate(tie, 'nightly', null, STARTED, 'v-b1')).toEqual({ backup: tie[1] });
    expect(backupOfExpiredCreate(tie, 'nightly', null, STARTED, 'g-a')).toEqual({ backup: tie[0] });
    // Held by nothing listed (a node that ignored it): the name and second, as before.
    expect(backupOfExpiredCreate(tie, 'nightly', null, STARTED, 'v-none')).toEqual({ sameSecond: 2 });
    // The group the create's result named comes first.
    expect(backupOfExpiredCreate(tie, 'nightly', 'g-a', STARTED, 'v-b1')).toEqual({ backup: tie[0] });
  });

  it("reads the create's end from its backup's status", () => {
    const statusOf = (status: BackupStatus) => expiredCreateStatus(group('g', 'nightly', STARTED, status));
    for (const made of ['AVAILABLE', 'RESTORING', 'DELETING'] as const) expect(statusOf(made), made).toBe('SUCCEEDED');
    expect(statusOf('FAILED')).toBe('FAILED');
    for (const making of ['PENDING', 'CREATING', 'UNKNOWN'] as const) expect(statusOf(making), making).toBe('RUNNING');
  });
});
