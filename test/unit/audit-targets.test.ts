import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { auditTargets, LISTED_CHARACTERS, listedCount } from '../../src/gateway/audit-targets.js';
import { KEPT_WHOLE } from '../../src/gateway/audit-text.js';

const LONG_ID = encodeId('Backup', 'zomro-main', ['vm-1', 'b'.repeat(150)]);

describe('auditTargets', () => {
  it('keeps every target field and nothing else', () => {
    const input = { instanceId: 'i', backupId: 'b', scheduleId: 's', definitionId: 'd', providerId: 'p', targetInstanceId: 't', instanceIds: ['x'], operationId: 'o', name: 'n', confirm: true };
    expect(auditTargets(input, 10)).toEqual({ instanceId: 'i', backupId: 'b', scheduleId: 's', definitionId: 'd', providerId: 'p', targetInstanceId: 't', instanceIds: ['x'], operationId: 'o' });
  });

  it('keeps text of up to 100 characters as it is, id or not', () => {
    expect(auditTargets({ instanceId: 'x'.repeat(100) }, 10)).toEqual({ instanceId: 'x'.repeat(100) });
  });

  it('cuts longer text that is no id to 100 characters, less the run the cut goes through and 7 before it, and says its length', () => {
    expect(auditTargets({ backupId: 'y'.repeat(101) }, 10)).toEqual({ backupId: '... (101 characters)' });
    const words = 'word '.repeat(30);
    expect(auditTargets({ backupId: words }, 10)).toEqual({ backupId: `${words.slice(0, 100 - 7)}... (150 characters)` });
  });

  it('keeps an id of up to KEPT_WHOLE characters whole, a longer one as a digest and its length (its start is one run the cut goes through)', () => {
    const realId = encodeId('Backup', 'zstack-main', ['a'.repeat(32), 'b'.repeat(32)]);
    expect(realId.length).toBeGreaterThan(100);
    expect(realId.length).toBeLessThanOrEqual(KEPT_WHOLE);
    expect(auditTargets({ backupId: realId }, 10)).toEqual({ backupId: realId });
    const digest = createHash('sha256').update(LONG_ID).digest('hex').slice(0, 16);
    expect(auditTargets({ backupId: LONG_ID }, 10)).toEqual({ backupId: `... (sha256 ${digest}, ${LONG_ID.length} characters)` });
  });

  it('lists at most maxListed items, each bounded, and counts those left out', () => {
    const ids = ['a', 'z'.repeat(300), 7, 'c', 'd'];
    expect(auditTargets({ instanceIds: ids }, 3)).toEqual({ instanceIds: ['a', '... (300 characters)', 7], instanceIdsNotListed: 2 });
    expect(auditTargets({ instanceIds: ids.slice(0, 3) }, 3)).toEqual({ instanceIds: ['a', '... (300 characters)', 7] });
  });

  it('lists ids up to LISTED_CHARACTERS of them in all, and counts the rest as left out', () => {
    // Ids of KEPT_WHOLE characters are named whole: past some 100 of them (limits.maxBulkInstances set higher), the characters bind.
    const wholeIds = Array.from({ length: 1_000 }, (_, index) => encodeId('Instance', 'zstack-main', [`${index}-`.padEnd(90, 'x')]));
    expect(wholeIds[0]!.length).toBeGreaterThan(100);
    expect(wholeIds[0]!.length).toBeLessThanOrEqual(KEPT_WHOLE);
    const listed = listedCount(wholeIds, 1_000);
    expect(listed).toBe(Math.floor(LISTED_CHARACTERS / wholeIds[0]!.length));
    expect(auditTargets({ instanceIds: wholeIds }, 1_000)).toMatchObject({ instanceIdsNotListed: 1_000 - listed });
    // Ids as real accounts make them: a hundred are all named.
    const realIds = Array.from({ length: 100 }, (_, index) => encodeId('Instance', 'zstack-main', [index.toString(16).padStart(32, '0')]));
    expect(listedCount(realIds, 100)).toBe(100);
    // Long ids and text that is no id count as the line writes them: their start and length.
    expect(listedCount(Array.from({ length: 100 }, (_, index) => encodeId('Instance', 'zstack-main', [`${index}-`.padEnd(1_500, 'x')])), 100)).toBe(100);
    expect(listedCount(Array.from({ length: 100 }, () => 'z'.repeat(5_000)), 100)).toBe(100);
  });

  it('leaves out a target that is neither text nor a list', () => {
    expect(auditTargets({ instanceId: 42, backupId: null }, 3)).toEqual({});
  });
});
