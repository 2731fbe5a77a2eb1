import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { OperationKind, OperationRef } from '../../src/domain/types.js';
import { checkOperationParts } from '../../src/providers/danube/operation-parts.js';

const UUID = '6f75849b-11b8-4bf1-8f66-0123456789ab';
const ref = (kind: OperationKind, token: string[], instanceNativeId: string | null = 'web01.example.com'): OperationRef => ({
  providerId: 'danube',
  kind,
  startedAt: new Date(0),
  instanceNativeId,
  backupNativeId: 'daily-1',
  token,
});

const refusal = (operation: OperationRef): string | undefined => {
  try {
    checkOperationParts(operation);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('BAD_USER_INPUT');
    return (error as GatewayError).message;
  }
};

describe('checkOperationParts (a Danube operation id held to its shape before any call)', () => {
  it('lets through every id the adapter writes', () => {
    expect(refusal(ref('CREATE_BACKUP', ['1e1-6f75849b-11b8', '1', 'daily', '17', UUID]))).toBeUndefined();
    expect(refusal(ref('CREATE_BACKUP', ['1e1-6f75849b-11b8', '1']))).toBeUndefined();
    expect(refusal(ref('DELETE_BACKUP', ['1e1-6f75849b-11b8', '1', UUID]))).toBeUndefined();
    expect(refusal(ref('DELETE_BACKUP', ['1e1-6f75849b-11b8', '1']))).toBeUndefined();
    // Done at once: no task, answered from the id alone, so its VM uuid is never read.
    expect(refusal(ref('DELETE_BACKUP', ['', '1', 'not-a-uuid']))).toBeUndefined();
    expect(refusal(ref('RESTORE_BACKUP', ['1e1-6f75849b-11b8', '1']))).toBeUndefined();
  });

  it('refuses an id naming no valid VM', () => {
    expect(refusal(ref('RESTORE_BACKUP', ['1e1-6f75849b-11b8'], '../x'))).toMatch(/no valid Danube VM/);
    expect(refusal(ref('DELETE_BACKUP', [''], null))).toMatch(/no valid Danube VM/);
  });

  it('refuses a task id of another shape, for every kind', () => {
    for (const kind of ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP'] as const) expect(refusal(ref(kind, ['../cancel', '1'])), kind).toMatch(/no Danube task/);
  });

  it('refuses a create whose definition look-up is unreadable, but not a delete or restore with the same token', () => {
    const token = ['1e1-6f75849b-11b8', '1', 'daily', 'x17', UUID];
    expect(refusal(ref('CREATE_BACKUP', token))).toMatch(/no valid mark/);
    expect(refusal(ref('RESTORE_BACKUP', token))).toBeUndefined();
    expect(refusal(ref('CREATE_BACKUP', ['1e1-6f75849b-11b8', '1', 'daily', '17', '../x']))).toMatch(/no valid VM uuid/);
  });

  it('refuses a delete with a task whose VM uuid is no uuid, and nothing else for it', () => {
    expect(refusal(ref('DELETE_BACKUP', ['1e1-6f75849b-11b8', '1', '../../vm']))).toBe('operation id names no valid VM uuid');
    expect(refusal(ref('DELETE_BACKUP', ['1e1-6f75849b-11b8', '1', '']))).toBe('operation id names no valid VM uuid');
    // A restore's third part is no VM uuid: not read as one.
    expect(refusal(ref('RESTORE_BACKUP', ['1e1-6f75849b-11b8', '1', '../../vm']))).toBeUndefined();
  });
});
