import { describe, expect, it } from 'vitest';
import { backupsSwitchedOff } from '../../src/providers/danube/backups-switched-off.js';
import { isZstackOwnError } from '../../src/providers/zstack/not-found.js';

describe("isZstackOwnError: a 404's body is ZStack's own JSON error", () => {
  it.each([
    [{ error: { code: 'SYS.1003', description: 'Cannot find the image store' } }, true],
    [{ error: { code: 'SYS.1006', description: 'An operation failed', cause: { code: 'SYS.1003', description: 'gone' } } }, true],
    [{ error: { code: 'ID.1001', description: 'session expired' } }, true],
    [{ error: { code: 'SYS.1003' } }, false],
    [{ error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } }, false],
    [{ error: { code: 'NotFound', description: 'Not Found' } }, false],
    [{ error: { code: 'sys.1003', description: 'lower case' } }, false],
    [{ error: { code: 'SYS.1003 and more', description: 'x' } }, false],
    [{ status: 404, error: 'Not Found' }, false],
    [{ error: [{ code: 'SYS.1003', description: 'x' }] }, false],
    [{ error: null }, false],
    // A code that is no string, though it reads as ZStack's once written out.
    [{ error: { code: ['SYS.1003'], description: 'x' } }, false],
    // ZStack's form inside longer words, not the whole code.
    [{ error: { code: 'not SYS.1003', description: 'x' } }, false],
    [null, false],
  ])('%j: %s', (body, own) => {
    expect(isZstackOwnError(body)).toBe(own);
  });
});

/** An account that counts how often it was told its url answered as no Danube does. */
function account(): { providerId: string; misdirected: number; answeredByAnotherServer(): void } {
  return {
    providerId: 'danube-test',
    misdirected: 0,
    answeredByAnotherServer() {
      this.misdirected += 1;
    },
  };
}

/** Danube's own answer carries `es_version` (esdc-ce's api/response.py). */
const DANUBES = { es_version: '4.5.0' };

describe('backupsSwitchedOff: a Danube backup call answered 404 with the bare "Not found"', () => {
  it.each([
    ['vm.backup.list', 'LIST_BACKUPS'],
    ['vm.backup.create', 'CREATE_BACKUP'],
    ['vm.backup.delete', 'DELETE_BACKUP'],
    ['vm.backup.restore', 'RESTORE_BACKUP'],
    ['vm.backup.note', 'UPDATE_BACKUP_NOTE'],
    ['vm.define.backup.list_all', 'LIST_DEFINITIONS'],
    ['vm.define.backup.create', 'CREATE_DEFINITION'],
    ['vm.define.backup.update', 'UPDATE_DEFINITION'],
    ['vm.define.backup.delete', 'DELETE_DEFINITION'],
  ])('%s is UNSUPPORTED %s', (operation, capability) => {
    const danube = account();
    const error = backupsSwitchedOff(danube, operation, { status: 404, body: { detail: 'Not found' }, headers: DANUBES });
    expect(danube.misdirected).toBe(0);
    expect(error?.code).toBe('UNSUPPORTED');
    expect(error?.details).toEqual({ provider: 'danube-test', capability });
    expect(error?.message).toContain('VMS_VM_BACKUP_ENABLED');
  });

  it.each([
    ['a VM not found', 'vm.backup.list', 404, { detail: 'VM not found' }],
    ['a backup not found', 'vm.backup.delete', 404, { detail: 'Backup not found' }],
    ['a call that is no backup call (the VM list, a task poll)', 'task.status', 404, { detail: 'Not found.' }],
    ['an inherited name', 'toString', 404, { detail: 'Not found.' }],
    ['another status', 'vm.backup.list', 403, { detail: 'Not found.' }],
    ['an HTML page', 'vm.backup.list', 404, null],
  ])('leaves %s to the status table', (_what, operation, status, body) => {
    expect(backupsSwitchedOff(account(), operation, { status, body, headers: DANUBES })).toBeNull();
  });

  it.each([{ detail: 'Not found.' }, { detail: 'Not found' }])('%j without es_version is another server\'s 404: PROVIDER_ERROR HTTP_404, the url\'s mistake told to health', (body) => {
    const proxied = account();
    const error = backupsSwitchedOff(proxied, 'vm.backup.list', { status: 404, body, headers: { 'content-type': 'application/json' } });
    expect([error?.code, error?.details.providerCode]).toEqual(['PROVIDER_ERROR', 'HTTP_404']);
    expect(error?.message).toContain("check the account's url");
    expect(proxied.misdirected).toBe(1);
  });
});
