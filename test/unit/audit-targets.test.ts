import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { auditTargets, LISTED_CHARACTERS, listedCount } from '../../src/gateway/audit-targets.js';

const LONG_ID = encodeId('Backup', 'zomro-main', ['vm-1', 'b'.repeat(150)]);

describe('auditTargets', () => {
  it('keeps every target field and nothing else', () => {
    const input = { instanceId: 'i', backupId: 'b', scheduleId: 's', definitionId: 'd', providerId: 'p', targetInstanceId: 't', instanceIds: ['x'], operationId: 'o', name: 'n', confirm: true };
    expect(auditTargets(input, 10)).toEqual({ instanceId: 'i', backupId: 'b', scheduleId: 's', definitionId: 'd', providerId: 'p', targetInstanceId: 't', instanceIds: ['x'], operationId: 'o' });
  });

  it('keeps text of up to 100 characters as it is, id or not', () => {
    expect(auditTargets({ instanceId: 'x'.repeat(100) }, 10)).toEqual({ instanceId: 'x'.repeat(100) });
  });

  it('cuts longer text that is no id to 100 characters and says its length', () => {
    expect(auditTargets({ backupId: 'y'.repeat(101) }, 10)).toEqual({ backupId: `${'y'.repeat(100)}... (101 characters)` });
  });

  it('keeps a long id whole', () => {
    expect(LONG_ID.length).toBeGreaterThan(100);
    expect(auditTargets({ backupId: LONG_ID }, 10)).toEqual({ backupId: LONG_ID });
  });

  it('lists at most maxListed items, each bounded, and counts those left out', () => {
    const ids = ['a', 'z'.repeat(300), 7, 'c', 'd'];
    expect(auditTargets({ instanceIds: ids }, 3)).toEqual({ instanceIds: ['a', `${'z'.repeat(100)}... (300 characters)`, 7], instanceIdsNotListed: 2 });
    expect(auditTargets({ instanceIds: ids.slice(0, 3) }, 3)).toEqual({ instanceIds: ['a', `${'z'.repeat(100)}... (300 characters)`, 7] });
  });

  it('lists ids up to LISTED_CHARACTERS of them in all, and counts the rest as left out', () => {
    const longIds = Array.from({ length: 100 }, (_, index) => encodeId('Instance', 'zstack-main', [`${index}-`.padEnd(1_500, 'x')]));
    const listed = listedCount(longIds, 100);
    expect(listed).toBe(Math.floor(LISTED_CHARACTERS / longIds[0]!.length));
    expect(auditTargets({ instanceIds: longIds }, 100)).toEqual({ instanceIds: longIds.slice(0, listed), instanceIdsNotListed: 100 - listed });
    // Ids as real accounts make them: a hundred are all named.
    const realIds = Array.from({ length: 100 }, (_, index) => encodeId('Instance', 'zstack-main', [index.toString(16).padStart(32, '0')]));
    expect(listedCount(realIds, 100)).toBe(100);
    // Text that is no id counts as the line writes it: 100 characters and its length.
    expect(listedCount(Array.from({ length: 100 }, () => 'z'.repeat(5_000)), 100)).toBe(100);
  });

  it('leaves out a target that is neither text nor a list', () => {
    expect(auditTargets({ instanceId: 42, backupId: null }, 3)).toEqual({});
  });
});
