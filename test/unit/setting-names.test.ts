import { describe, expect, it } from 'vitest';
import { misplacedSettingHint, settingNamed } from '../../src/config/setting-names.js';

/**
 * The config schema's settings by name, found by walking the schema through every wrapper it
 * uses (a default, a prefault, an optional, a list, a union of provider kinds, nested objects),
 * and the hint for a key written under the wrong section. test/unit/config-unquoted-key-lines
 * and config-secret-never-quoted show the hint in a config file's problems.
 */
describe('settingNamed', () => {
  it('finds each setting at every place the schema writes it, through every wrapper', () => {
    const placesOf = (key: string): readonly string[] | undefined => settingNamed(key)?.places;
    expect(placesOf('listen')).toEqual(['the top level']);
    expect(placesOf('port')).toEqual(['listen', 'admin']);
    expect(placesOf('maxDepth')).toEqual(['limits']);
    expect(placesOf('requestsPerSecond')).toEqual(['limits.rateLimit']);
    expect(placesOf('perAddress')).toEqual(['limits.authFailures']);
    expect(placesOf('perProvider')).toEqual(['protection']);
    expect(placesOf('drainTimeoutMs')).toEqual(['shutdown']);
    expect(placesOf('roles')).toEqual(['clients[]']);
    expect(placesOf('providers')).toEqual(['clients[]', 'the top level']);
    expect(placesOf('backupGiveUpMs')).toEqual(['providers[]']);
    // Each provider kind's own settings, the first kind's and the last's, once each.
    expect(placesOf('token')).toEqual(['providers[].auth']);
    expect(placesOf('accountName')).toEqual(['providers[].auth']);
    expect(placesOf('password')).toEqual(['providers[].auth']);
    expect(placesOf('dc')).toEqual(['providers[]']);
  });

  it('reads a name in any case, with _ or - between its words, and nothing else as it', () => {
    for (const key of ['backupGiveUpMs', 'backupgiveupms', 'BACKUP_GIVE_UP_MS', 'backup-give-up-ms', 'Backup_Give-Up_Ms']) {
      expect(settingNamed(key)).toEqual({ name: 'backupGiveUpMs', places: ['providers[]'] });
    }
    for (const key of ['backup.give.up.ms', 'backup give up ms', 'backupGiveUpMsX', 'backupGiveUp', 'nope', '']) expect(settingNamed(key)).toBeUndefined();
  });
});

describe('misplacedSettingHint', () => {
  it('says where a setting of another section belongs, in the form problems name paths', () => {
    expect(misplacedSettingHint('maxDepth', ['providers', 0])).toBe('unknown key here; maxDepth is a setting of limits: move it there if it is that');
    expect(misplacedSettingHint('token', ['providers', 3])).toBe('unknown key here; token is a setting of providers[N].auth: move it there if it is that');
    expect(misplacedSettingHint('port', ['limits'])).toBe('unknown key here; port is a setting of listen, admin: move it there if it is that');
    expect(misplacedSettingHint('providers', ['limits'])).toBe('unknown key here; providers is a setting of clients[N], the top level: move it there if it is that');
    expect(misplacedSettingHint('listen', ['limits'])).toBe('unknown key here; listen is a setting of the top level: move it there if it is that');
    expect(misplacedSettingHint('requestsPerSecond', ['limits'])).toBe('unknown key here; requestsPerSecond is a setting of limits.rateLimit: move it there if it is that');
  });

  it('names the setting as the schema spells it where the key was written otherwise', () => {
    expect(misplacedSettingHint('maxdepth', ['providers', 0, 'auth'])).toBe('unknown key here; did you mean "maxDepth", a setting of limits? Move it there if it is that');
    expect(misplacedSettingHint('MAX_DEPTH', [])).toBe('unknown key here; did you mean "maxDepth", a setting of limits? Move it there if it is that');
  });

  it('gives no hint for a setting of the very place it is written, nor for a key naming no setting', () => {
    expect(misplacedSettingHint('maxDepth', ['limits'])).toBeUndefined();
    expect(misplacedSettingHint('listen', [])).toBeUndefined();
    expect(misplacedSettingHint('token', ['providers', 2, 'auth'])).toBeUndefined();
    expect(misplacedSettingHint('providers', ['clients', 1])).toBeUndefined();
    expect(misplacedSettingHint('perAddress', ['limits', 'authFailures'])).toBeUndefined();
    expect(misplacedSettingHint('nope', ['limits'])).toBeUndefined();
  });
});
