import { describe, expect, it } from 'vitest';
import type { Operation, OperationKind, OperationRef } from '../../src/domain/types.js';
import { checkJobAnswer, readFromJob } from '../../src/providers/zstack/answered-job.js';

const ref = (kind: OperationKind): OperationRef => ({ providerId: 'zstack-test', kind, startedAt: new Date(0), instanceNativeId: 'vm', backupNativeId: null, token: ['job'] });
const KINDS: OperationKind[] = ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS'];

describe("zstack: a job's answer read as an operation of a kind", () => {
  it("refuses a create's answer (inventories) read as any other kind, as that kind's job NOT_FOUND naming the account", () => {
    const words: Record<Exclude<OperationKind, 'CREATE_BACKUP'>, string> = { DELETE_BACKUP: 'delete job not found', RESTORE_BACKUP: 'restore job not found', SYNC_BACKUPS: 'sync job not found' };
    expect(() => checkJobAnswer(ref('CREATE_BACKUP'), { inventories: [] }, 'zstack-test')).not.toThrow();
    for (const kind of KINDS.filter((each) => each !== 'CREATE_BACKUP')) {
      let thrown: unknown;
      try {
        checkJobAnswer(ref(kind), { inventories: [{ uuid: 'b' }] }, 'zstack-test');
      } catch (error) {
        thrown = error;
      }
      expect(thrown, kind).toMatchObject({ code: 'NOT_FOUND', message: words[kind as Exclude<OperationKind, 'CREATE_BACKUP'>], details: { provider: 'zstack-test' } });
    }
  });

  it("refuses a revert's answer (success) read as any other kind, a create's as 'create job'", () => {
    expect(() => checkJobAnswer(ref('RESTORE_BACKUP'), { success: true }, 'zstack-test')).not.toThrow();
    expect(() => checkJobAnswer(ref('CREATE_BACKUP'), { success: true }, 'zstack-test')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'create job not found' }));
    for (const kind of ['DELETE_BACKUP', 'SYNC_BACKUPS'] as const) expect(() => checkJobAnswer(ref(kind), { success: true }, 'zstack-test'), kind).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it("reads no kind from `{}`, a failed job's error beside success or inventories, or an answer that is no object", () => {
    for (const body of [{}, { error: { code: 'SYS.1000' }, success: false }, { error: 'x', inventories: [] }, null, undefined, 'inventories', 7, []]) {
      for (const kind of KINDS) expect(() => checkJobAnswer(ref(kind), body, 'zstack-test'), `${kind} ${JSON.stringify(body)}`).not.toThrow();
    }
  });

  it('reads a kind beside an error that is null, as a node writes it on success', () => {
    expect(() => checkJobAnswer(ref('DELETE_BACKUP'), { error: null, inventories: [] }, 'zstack-test')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => checkJobAnswer(ref('DELETE_BACKUP'), { error: undefined, success: true }, 'zstack-test')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('marks an operation read from a job unconfirmed, keeping the rest', () => {
    const operation: Operation = { ...ref('DELETE_BACKUP'), status: 'SUCCEEDED', finishedAt: null, error: null, providerOperationId: 'job' };
    expect(readFromJob(operation)).toEqual({ ...operation, jobUnconfirmed: true });
  });
});
