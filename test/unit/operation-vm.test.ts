import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { checkOperationVm, OPERATION_VM_REFUSED } from '../../src/providers/danube/operation-vm.js';

const refusal = (instanceNativeId: string | null): unknown => {
  try {
    checkOperationVm({ instanceNativeId });
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('checkOperationVm', () => {
  it('lets a Danube hostname through', () => {
    for (const id of ['web01.example.com', 'a', 'db-2']) expect(refusal(id), id).toBeUndefined();
  });

  // Every Danube operation the gateway answers names its VM: one naming none was forged.
  it('refuses a hostname no URL may hold, and an operation naming no VM, with a typed bad-input error, not the client error', () => {
    for (const id of ['../../x', 'web01\r\nX: y', '', 'a..b', 'a/b', 'x'.repeat(256), null]) {
      const error = refusal(id);
      expect(error, JSON.stringify(id)).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('BAD_USER_INPUT');
      expect((error as GatewayError).message).toBe(OPERATION_VM_REFUSED);
    }
  });

  it('tells the client what to send instead', () => {
    expect(OPERATION_VM_REFUSED).toBe('operation id names no valid Danube VM: send an operation id as the gateway answered it');
  });
});
