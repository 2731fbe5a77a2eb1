import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/domain/types.js';
import { readFromTask } from '../../src/providers/danube/answered-task.js';

describe('danube: an operation read from a task it still answers', () => {
  it('is marked unconfirmed, the rest kept as read', () => {
    const operation: Operation = { providerId: 'danube-test', kind: 'RESTORE_BACKUP', startedAt: new Date(0), instanceNativeId: 'vm', backupNativeId: 'b', token: ['t'], status: 'RUNNING', finishedAt: null, error: null, providerOperationId: 't' };
    expect(readFromTask(operation)).toEqual({ ...operation, jobUnconfirmed: true });
  });
});
