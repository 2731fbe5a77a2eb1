import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { variableLookalikes, variableLookalikeWarning } from '../../src/config/variable-lookalikes.js';

const onapp = { id: 'flex', kind: 'onapp', url: 'https://cloud.example.com' };
const danube = { id: 'dc1', kind: 'danube', url: 'https://dc/api' };

describe('variableLookalikes: a key or secret written $NAME with NAME unset', () => {
  // `key: $DASHBOARD_KEY_PRODUCTION` with the variable forgotten made the key its own name, for anyone who has read the files.
  const config = validateConfig({
    clients: [
      { name: 'dash', key: '$DASHBOARD_KEY_PRODUCTION', roles: ['viewer'] },
      { name: 'ops', key: 'o'.repeat(20), roles: ['admin'] },
      { name: 'set', key: '$SET_KEY_VARIABLE_NAME', roles: ['viewer'] },
    ],
    providers: [
      { ...onapp, auth: { username: '$ONAPP_USER', password: '$ONAPP_PASSWORD' } },
      { ...danube, auth: { apiKey: 'pa$$word-not-a-name' } },
      { ...danube, id: 'dc2', auth: { apiKey: '$FROM_A_FILE' } },
    ],
  });
  const env = { SET_KEY_VARIABLE_NAME: 'anything', FROM_A_FILE_FILE: '/run/secrets/key' };

  it('names client keys and provider secrets by path; not names (a username), values with $ inside, or variables set (or set as NAME_FILE)', () => {
    expect(variableLookalikes(config, env)).toEqual([{ path: 'clients[0].key', client: 'client dash' }, { path: 'providers[0].auth.password', account: 'flex' }]);
  });

  it("names a client by its place, not its name, where the name is a provider's secret (a token pasted into name)", () => {
    const pasted = validateConfig({
      clients: [{ name: 'tokenpastedhere1234', key: '$DASHBOARD_KEY_NAME', roles: ['viewer'] }],
      providers: [{ ...danube, auth: { apiKey: 'tokenpastedhere1234' } }],
    });
    expect(variableLookalikes(pasted, {})).toEqual([{ path: 'clients[0].key', client: 'the 1st client' }]);
  });

  it('warns without quoting the value, which may be a real secret that starts with $', () => {
    const words = variableLookalikes(config, env).map(variableLookalikeWarning);
    // A client key names its client, as the client's problems do.
    expect(words[0]).toBe('clients[0].key (client dash) is written as a shell variable ($ and a name) that is not set, so it is used as the literal text; to read the environment variable, set it and write ${NAME}');
    // A provider's secret names its account, as the other warnings do.
    expect(words[1]).toBe('providers[0].auth.password (account flex) is written as a shell variable ($ and a name) that is not set, so it is used as the literal text; to read the environment variable, set it and write ${NAME}');
    for (const line of words) {
      expect(line).not.toContain('DASHBOARD_KEY_PRODUCTION');
      expect(line).not.toContain('ONAPP_PASSWORD');
    }
  });

  it('is nothing for a config without clients and with ordinary secrets', () => {
    expect(variableLookalikes(validateConfig({ allowAnonymous: true, providers: [{ ...danube, auth: { apiKey: 'k'.repeat(20) } }] }), {})).toEqual([]);
  });

  it('takes only a whole value of $ and a shell name: not text before or after it, a name starting with a digit, nor one with other characters', () => {
    const keyed = (key: string) => validateConfig({ clients: [{ name: 'dash', key, roles: ['viewer'] }], providers: [{ ...danube, auth: { apiKey: 'k'.repeat(20) } }] });
    for (const key of ['$_KEY_NAME_LONGER', '$KEY_NAME_LONG_2', '$lower_case_name_x']) expect(variableLookalikes(keyed(key), {}), key).toEqual([{ path: 'clients[0].key', client: 'client dash' }]);
    for (const key of ['prefix$KEY_NAME_LONG', '$KEY_NAME_LONG-suffix', '$1KEY_NAME_LONGER', '$KEY.NAME.LONGER', '${KEY_NAME_LONG}x', '$ KEY_NAME_LONGER']) {
      expect(variableLookalikes(keyed(key), {}), key).toEqual([]);
    }
  });

  it("names every provider kind's secrets by their own key (a ZStack sessionId, a Zomro token, a Danube password), in the config's order after the clients", () => {
    const config = validateConfig({
      clients: [{ name: 'dash', key: '$DASHBOARD_KEY_NAME', roles: ['viewer'] }],
      providers: [
        { id: 'zs', kind: 'zstack', url: 'https://zs/api', backupStorageUuid: 'b'.repeat(32), auth: { sessionId: '$ZS_SESSION' } },
        { id: 'zm', kind: 'zomro', url: 'https://zm/api', auth: { token: '$ZM_TOKEN' } },
        { ...danube, auth: { username: 'admin', password: '$DC_PASSWORD' } },
      ],
    });
    expect(variableLookalikes(config, {})).toEqual([
      { path: 'clients[0].key', client: 'client dash' },
      { path: 'providers[0].auth.sessionId', account: 'zs' },
      { path: 'providers[1].auth.token', account: 'zm' },
      { path: 'providers[2].auth.password', account: 'dc1' },
    ]);
  });
});
