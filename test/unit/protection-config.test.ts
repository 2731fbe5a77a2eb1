import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';

const base = { allowAnonymous: true, providers: [{ id: 'lab', kind: 'zstack', url: 'http://zstack.example.com:8080', auth: { accountName: 'admin', password: 'secret-password' }, backupStorageUuid: 'fc50c1ece4753c1981e3e3f65a151e0e' }] };

describe('protection config', () => {
  it('defaults: a 24 h objective, no overrides, the sweep off, at most 100 instances per createBackups', () => {
    const config = validateConfig(base);
    expect(config.protection).toEqual({ rpoHours: 24, perProvider: {}, sweepIntervalMs: 0 });
    expect(config.limits.maxBulkInstances).toBe(100);
  });

  it('takes per-provider objectives, and refuses one for an account that does not exist', () => {
    expect(validateConfig({ ...base, protection: { rpoHours: 12, perProvider: { lab: 168 }, sweepIntervalMs: 60_000 } }).protection).toEqual({ rpoHours: 12, perProvider: { lab: 168 }, sweepIntervalMs: 60_000 });
    expect(() => validateConfig({ ...base, protection: { perProvider: { labb: 168 } } })).toThrow(/protection\.perProvider\.labb: no provider has id "labb"/);
    expect(() => validateConfig({ ...base, protection: { rpoHours: 0 } })).toThrow(/protection\.rpoHours/);
    expect(() => validateConfig({ ...base, protection: { sweepIntervalMs: 5 } })).toThrow(/protection\.sweepIntervalMs/);
  });
});
