import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';

describe('global ids', () => {
  it('round-trip type, provider and native keys, unicode included', () => {
    const id = encodeId('Backup', 'dc1', ['web01.example.com', 'daily-2024 ✓', '1']);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeId(id)).toEqual({ type: 'Backup', providerId: 'dc1', keys: ['web01.example.com', 'daily-2024 ✓', '1'] });
  });

  it('refuse garbage with BAD_USER_INPUT', () => {
    for (const bad of ['', 'not an id', 'x'.repeat(5000), Buffer.from('[1,2]').toString('base64url'), Buffer.from('["Z","p","k"]').toString('base64url')]) {
      expect(() => decodeId(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('carry an operation reference whole, so operation(id) needs no server state', () => {
    const ref = { providerId: 'lab', kind: 'CREATE_BACKUP' as const, startedAt: new Date('2026-01-02T03:04:05Z'), instanceNativeId: 'vm', backupNativeId: null, token: ['job-uuid'] };
    expect(decodeOperationId(operationId(ref))).toEqual(ref);
  });
});
