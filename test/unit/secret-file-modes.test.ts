import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inServiceCredentials, looseSecretFileWarning, noteSecretFileMode, readableBeyondGateway, takeLooseSecretFiles } from '../../src/config/secret-file-modes.js';

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

describe('noteSecretFileMode and takeLooseSecretFiles: what the start warns of', () => {
  // A group this process is in, and one it is not (the start reads its own groups).
  const ownGroup = process.getgid?.() ?? 0;
  const otherGroup = Math.max(ownGroup, ...(process.getgroups?.() ?? [])) + 1;
  // The unit project shares one process (isolate: false): other files' env reads may have noted files before this one.
  beforeEach(() => {
    takeLooseSecretFiles();
  });
  afterEach(() => {
    takeLooseSecretFiles();
  });

  it('a file others may read: noted with its variable, the path as shown and its permission bits', () => {
    noteSecretFileMode('DASHBOARD_KEY_FILE', '/etc/bg/dashboard_key', '/etc/bg/dashboard_key', { mode: 0o100644, gid: ownGroup }, undefined);
    expect(takeLooseSecretFiles()).toEqual([{ variable: 'DASHBOARD_KEY_FILE', shown: '/etc/bg/dashboard_key', mode: '0644' }]);
  });

  it('the mode written as four octal digits, whatever its bits', () => {
    noteSecretFileMode('A_FILE', '/s/a', '/s/a', { mode: 0o100004, gid: ownGroup }, undefined);
    noteSecretFileMode('B_FILE', '/s/b', '/s/b', { mode: 0o104, gid: ownGroup }, undefined);
    expect(takeLooseSecretFiles().map((file) => file.mode)).toEqual(['0004', '0104']);
  });

  it('taken once: a second take finds none; a variable read twice in one start is one warning', () => {
    noteSecretFileMode('REDIS_URL_FILE', '/s/redis', '/s/redis', { mode: 0o644, gid: ownGroup }, undefined);
    noteSecretFileMode('REDIS_URL_FILE', '/s/redis', '/s/redis', { mode: 0o644, gid: ownGroup }, undefined);
    expect(takeLooseSecretFiles()).toHaveLength(1);
    expect(takeLooseSecretFiles()).toEqual([]);
  });

  it('group-readable: noted for a group the gateway is not in, not for its own', () => {
    noteSecretFileMode('OWN_FILE', '/s/own', '/s/own', { mode: 0o640, gid: ownGroup }, undefined);
    noteSecretFileMode('OTHER_FILE', '/s/other', '/s/other', { mode: 0o640, gid: otherGroup }, undefined);
    expect(takeLooseSecretFiles().map((file) => file.variable)).toEqual(['OTHER_FILE']);
  });

  it('owner-only files and files in $CREDENTIALS_DIRECTORY: not noted', () => {
    const credentials = '/run/credentials/backup-graph.service';
    noteSecretFileMode('OWNER_FILE', '/s/owner', '/s/owner', { mode: 0o600, gid: otherGroup }, credentials);
    noteSecretFileMode('SYSTEMD_FILE', `${credentials}/ops_key`, `${credentials}/ops_key`, { mode: 0o440, gid: otherGroup }, credentials);
    expect(takeLooseSecretFiles()).toEqual([]);
    noteSecretFileMode('OUTSIDE_FILE', '/s/outside', '/s/outside', { mode: 0o440, gid: otherGroup }, credentials);
    expect(takeLooseSecretFiles().map((file) => file.variable)).toEqual(['OUTSIDE_FILE']);
  });

  it('the warning names the variable, the path as shown and the mode, and how to fix it', () => {
    const line = looseSecretFileWarning({ variable: 'DASHBOARD_KEY_FILE', shown: '/etc/bg/dashboard_key', mode: '0644' });
    expect(line).toBe(
      "DASHBOARD_KEY_FILE (/etc/bg/dashboard_key) is readable by users other than the gateway's (mode 0644): chmod 600 it (or 640 with a group the gateway runs in), as ssh asks of a key; read anyway (a container's mounted secrets are often 0644)",
    );
  });
});
