import { describe, expect, it } from 'vitest';
import { decodeId, encodeId, type IdType } from '../../src/domain/ids.js';
import { MAX_NATIVE_ID_BYTES } from '../../src/providers/native-id.js';

/** What `decodeId` reads at most: an id the gateway answered longer than this could never be asked for again. */
const MAX_ID_LENGTH = 2048;

/** The longest of each part of an id, as the gateway bounds it before the id is made. */
const PROVIDER = 'p'.repeat(64); // config-base.ts: an account id is at most 64 of [a-z0-9-]
const NATIVE = 'n'.repeat(MAX_NATIVE_ID_BYTES); // native-id.ts: any id read from a provider's answer
const INTEGER_ID = '9'.repeat(18); // OnApp's `segment`, Zomro's `billingId`: an id sent in a URL or a form
const DISK_NUMBER = '2147483647'; // Danube's disk number (diskNumber: GRAPHQL_INT_MAX)
const HOSTNAME = 'h'.repeat(255); // Danube's hostnameSegment: a hostname sent in a URL
const DANUBE_TASK = 't'.repeat(128); // task-id.ts
const DANUBE_MADE = 'b'.repeat(64); // created-backup-name.ts: a backup named by a create's answer
const ZSTACK_JOB = 'j'.repeat(64); // zstack/adapter.ts JOB_ID
const UUID = 'u'.repeat(36); // Danube's VM uuid; ZStack's are 32
const NAME = '€'.repeat(200); // input-checks.ts: a client's name, at most 200 units, 3 bytes each at most
const MS = '253402300799999'; // ids.ts: the last start time an operation id reads
const MARK = '9'.repeat(16); // Danube's create mark (new-backup-of-definition.ts MARK)

/**
 * Every shape of id the gateway makes, each part at the longest it can be. Objects carry at most
 * two ids read from an answer (each at most MAX_NATIVE_ID_BYTES); a third is a number the code
 * bounds (an OnApp disk went into a URL before its schedules were read; a Danube disk number).
 * Operations carry a few more, each bounded by the shape checked before it is kept.
 */
const SHAPES: ReadonlyArray<{ shape: string; type: IdType; keys: string[] }> = [
  { shape: 'an instance', type: 'Instance', keys: [NATIVE] },
  { shape: 'a backup (Zomro, OnApp, ZStack)', type: 'Backup', keys: [NATIVE, NATIVE] },
  { shape: 'a Danube backup', type: 'Backup', keys: [NATIVE, NATIVE, DISK_NUMBER] },
  { shape: 'a schedule (Zomro, OnApp VM-level)', type: 'BackupSchedule', keys: [NATIVE, NATIVE] },
  { shape: 'an OnApp disk schedule', type: 'BackupSchedule', keys: [NATIVE, NATIVE, INTEGER_ID] },
  { shape: 'a Danube schedule', type: 'BackupSchedule', keys: [NATIVE, NATIVE, DISK_NUMBER] },
  { shape: 'a Danube definition', type: 'BackupDefinition', keys: [NATIVE, NATIVE, DISK_NUMBER] },
  { shape: 'a Zomro create', type: 'Operation', keys: ['CREATE_BACKUP', MS, INTEGER_ID, NATIVE, NAME] },
  { shape: 'a Zomro restore', type: 'Operation', keys: ['RESTORE_BACKUP', MS, NATIVE, NATIVE] },
  { shape: 'an OnApp create', type: 'Operation', keys: ['CREATE_BACKUP', MS, INTEGER_ID, NATIVE, INTEGER_ID, NATIVE, INTEGER_ID] },
  { shape: 'an OnApp restore', type: 'Operation', keys: ['RESTORE_BACKUP', MS, NATIVE, NATIVE, MS, INTEGER_ID, MS] },
  { shape: 'a ZStack create', type: 'Operation', keys: ['CREATE_BACKUP', MS, UUID, UUID, ZSTACK_JOB, NAME, UUID] },
  { shape: 'a ZStack restore', type: 'Operation', keys: ['RESTORE_BACKUP', MS, NATIVE, NATIVE, ZSTACK_JOB] },
  { shape: 'a Danube create', type: 'Operation', keys: ['CREATE_BACKUP', MS, HOSTNAME, DANUBE_MADE, DANUBE_TASK, DISK_NUMBER, NATIVE, MARK, UUID] },
  { shape: 'a Danube delete', type: 'Operation', keys: ['DELETE_BACKUP', MS, NATIVE, NATIVE, DANUBE_TASK, DISK_NUMBER, UUID] },
  { shape: 'a Danube restore', type: 'Operation', keys: ['RESTORE_BACKUP', MS, NATIVE, NATIVE, DANUBE_TASK, DISK_NUMBER] },
];

describe('the longest global id of each shape the gateway makes', () => {
  it.each(SHAPES)('$shape: within the 2,048 characters decodeId reads, and read back', ({ type, keys }) => {
    const id = encodeId(type, PROVIDER, keys);
    expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(decodeId(id)).toEqual({ type, providerId: PROVIDER, keys });
  });

  it('the longest of them leaves room: 1,759 characters (a Danube delete)', () => {
    const longest = Math.max(...SHAPES.map(({ type, keys }) => encodeId(type, PROVIDER, keys).length));
    expect(longest).toBe(1759);
  });
});
