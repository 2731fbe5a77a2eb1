import { describe, expect, it } from 'vitest';
import { readableBeyondGateway } from '../../src/config/secret-file-modes.js';

describe('readableBeyondGateway: whether a secret file\'s mode lets a user other than the gateway\'s read it', () => {
  const gateway = [1000, 27];
  it('others\' read bit: always', () => {
    for (const mode of [0o644, 0o604, 0o444, 0o100604]) expect(readableBeyondGateway(mode, 1000, gateway)).toBe(true);
  });
  it('group read bit: only for a group the gateway is not in', () => {
    expect(readableBeyondGateway(0o640, 50, gateway)).toBe(true);
    expect(readableBeyondGateway(0o640, 27, gateway)).toBe(false);
    expect(readableBeyondGateway(0o440, 1000, gateway)).toBe(false);
  });
  it('owner only, or write and execute bits without read: never', () => {
    for (const mode of [0o600, 0o400, 0o100600, 0o622, 0o611]) expect(readableBeyondGateway(mode, 50, gateway)).toBe(false);
  });
});
