import { describe, expect, it } from 'vitest';
import { mapInstance as onappInstance } from '../../src/providers/onapp/mapper.js';
import { hiddenFields, publicRaw } from '../../src/providers/raw.js';

describe('publicRaw: any field named for a credential', () => {
  it("hides OnApp's VM passwords (root, VNC, service) from every viewer", () => {
    const vm = { id: 1, label: 'vm-one', initial_root_password: 'Sup3rS3cretRootPw!', remote_access_password: 'vncPw12345', service_password: 'svcPw-abcdef', memory: 1024 };
    expect(onappInstance('o', vm).raw).toEqual({ id: 1, label: 'vm-one', memory: 1024 });
  });

  it('hides a name holding a credential word anywhere, in any case', () => {
    const names = [
      'rootPassword', 'VNC_PASSWORD', 'old_passwd', 'ssh_passphrase', 'client_secret', 'SecretKey', 'refresh_token', 'tokenValue',
      'x-apikey', 'user_api_key', 'ssh_private_key', 'PrivateKeyPem', 'credentials', 'cloudCredential',
      'api-key', 'private-key', 'access_key', 'AccessKeyId', 'license_key', 'root_pw', 'admin_pw', 'adminPass', 'vnc_pass', 'root.pass', 'pwd', 'PASS', 'rootPwd',
    ];
    const record = Object.fromEntries([...names.map((name) => [name, 'x']), ['name', 'n']]);
    expect(publicRaw(record, hiddenFields([]))).toEqual({ name: 'n' });
  });

  it('keeps names that only hold a shorter word by chance', () => {
    const record = { author: 'a', authorized_keys_count: 2, session_timeout: 30, passive: true, bypass_cache: false, compass: 'n', pwr_state: 1, passengers: 0, key: 'k1', ssh_key_id: 3, name: 'n' };
    expect(Object.keys(publicRaw(record, hiddenFields([])))).toEqual(['author', 'authorized_keys_count', 'session_timeout', 'passive', 'bypass_cache', 'compass', 'pwr_state', 'passengers', 'key', 'ssh_key_id', 'name']);
  });
});
