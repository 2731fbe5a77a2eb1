import { describe, expect, it } from 'vitest';
import { inServiceCredentials, readableBeyondGateway } from '../../src/config/secret-file-modes.js';

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

describe('inServiceCredentials: a file systemd placed for this unit alone ($CREDENTIALS_DIRECTORY)', () => {
  const credentials = '/run/credentials/backup-graph@a.service';
  it('a file in it, however its path is written', () => {
    expect(inServiceCredentials(`${credentials}/ops_key`, credentials)).toBe(true);
    expect(inServiceCredentials(`${credentials}/sub/../ops_key`, credentials)).toBe(true);
    expect(inServiceCredentials(`${credentials}/ops_key`, `${credentials}/`)).toBe(true);
  });
  it('not a file beside it, above it, in a sibling named alike, or with no directory given', () => {
    expect(inServiceCredentials(credentials, credentials)).toBe(false);
    expect(inServiceCredentials(`${credentials}/../ops_key`, credentials)).toBe(false);
    expect(inServiceCredentials(`${credentials}-other/ops_key`, credentials)).toBe(false);
    expect(inServiceCredentials('/etc/backup-graph/ops_key', credentials)).toBe(false);
    expect(inServiceCredentials(`${credentials}/ops_key`, undefined)).toBe(false);
    expect(inServiceCredentials(`${credentials}/ops_key`, '')).toBe(false);
    expect(inServiceCredentials('ops_key', 'relative/dir')).toBe(false);
  });
});
