import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { operationId } from '../../src/gateway/ids.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const LIST = '{ instances(first: 100) { edges { node { id nativeId backups { id } schedules { id } } } } }';
const DELETE_BACKUP = 'mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }';
const DELETE_SCHEDULE = 'mutation($id: ID!) { deleteBackupSchedule(input: { scheduleId: $id }) { deletedId } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';

type Listed = { instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }>; schedules: Array<{ id: string }> } }> } };

/**
 * What a client may write in place of an instance's billing id when it re-encodes a backup,
 * schedule or operation id: BILLmanager reads `elid=1,2` as two objects, and the others are an
 * integer only to a reader that trims, stops at the first non-digit or folds full-width digits.
 */
const crafted = (plid: string, other: string): string[] => [`${plid},${other}`, `${plid}&sok=ok`, ` ${plid}`, `${plid}\n`, `0${plid}`, String.fromCodePoint(...[...plid].map((digit) => 0xff10 + Number(digit))), '-1', '1e3'];

describe('zomro: billing ids a client crafted into a global id', () => {
  let harness: Harness;
  let plid: string;
  let otherPlid: string;
  let backupId: string;
  let scheduleId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const listed = (await harness.gql<Listed>(LIST)).data!.instances.edges.map((edge) => edge.node);
    const withBoth = listed.find((node) => node.backups.length > 0 && node.schedules.length > 0)!;
    plid = withBoth.nativeId;
    otherPlid = listed.find((node) => node.nativeId !== plid)!.nativeId;
    backupId = withBoth.backups[0]!.id;
    scheduleId = withBoth.schedules[0]!.id;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  /** Every plid and elid Zomro was sent, and whether any write (`sok=ok`) was. */
  const sent = () => {
    const log = harness.simulator('zomro').server.log;
    return { ids: log.flatMap((request) => [request.form.plid, request.form.elid]).filter((id): id is string => id !== undefined), writes: log.filter((request) => request.form.sok === 'ok').length };
  };
  const expectNothingAskedBy = (answerCodes: string[]) => {
    expect(answerCodes).toEqual(['NOT_FOUND']);
    const { ids, writes } = sent();
    expect(ids.filter((id) => !/^[1-9]\d*$/.test(id))).toEqual([]);
    expect(writes).toBe(0);
  };

  it("a backup id whose instance is no billing id: NOT_FOUND, and no plid but billing ids is sent", async () => {
    const { providerId, keys } = decodeId(backupId);
    for (const instance of crafted(plid, otherPlid)) {
      harness.resetUpstreamLogs();
      expectNothingAskedBy(errorCodes(await harness.gql(DELETE_BACKUP, { id: encodeId('Backup', providerId, [instance, ...keys.slice(1)]) })));
    }
  });

  it('a schedule id whose instance is no billing id: the same', async () => {
    const { providerId, keys } = decodeId(scheduleId);
    for (const instance of crafted(plid, otherPlid)) {
      harness.resetUpstreamLogs();
      expectNothingAskedBy(errorCodes(await harness.gql(DELETE_SCHEDULE, { id: encodeId('BackupSchedule', providerId, [instance, ...keys.slice(1)]) })));
    }
  });

  it('an operation id whose instance or backup is no billing id: its poll asks nothing by it', async () => {
    const backupNativeId = decodeId(backupId).keys[1]!;
    for (const bad of crafted(plid, otherPlid)) {
      harness.resetUpstreamLogs();
      const startedAt = new Date(Date.now() - 1000);
      expectNothingAskedBy(errorCodes(await harness.gql(OPERATION, { id: operationId({ providerId: 'zomro-test', kind: 'DELETE_BACKUP', startedAt, instanceNativeId: bad, backupNativeId, token: [] }) })));
    }
  });

  it('a restore operation id whose instance is no billing id: NOT_FOUND as for the other kinds (it read the instance list and answered FAILED "the instance no longer exists")', async () => {
    const backupNativeId = decodeId(backupId).keys[1]!;
    for (const bad of crafted(plid, otherPlid)) {
      harness.resetUpstreamLogs();
      const startedAt = new Date(Date.now() - 1000);
      expectNothingAskedBy(errorCodes(await harness.gql(OPERATION, { id: operationId({ providerId: 'zomro-test', kind: 'RESTORE_BACKUP', startedAt, instanceNativeId: bad, backupNativeId, token: [] }) })));
      expect(harness.upstreamCount()).toBe(0);
    }
  });

  it('the ids as listed still delete exactly what they name', async () => {
    const answer = await harness.gql(DELETE_BACKUP, { id: backupId });
    expect(answer.errors).toBeUndefined();
    const deletes = harness.simulator('zomro').server.log.filter((request) => request.form.sok === 'ok');
    const { keys } = decodeId(backupId);
    expect(deletes.map((request) => [request.form.func, request.form.plid, request.form.elid])).toEqual([['image.delete', plid, keys[1]]]);
  });
});
