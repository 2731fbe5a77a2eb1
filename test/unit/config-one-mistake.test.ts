import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, loadConfigObject } from '../../src/config/load.js';

/**
 * The config `npm start -- --simulators` prints, with one mistake at a time, as a newcomer makes
 * them: each problem names the key, says what is wrong and what to write, in the config's words
 * (zod's "Too big: expected number to be <=65535" and "expected object, received null" did not),
 * and never quotes a credential.
 */
const ZOMRO_TOKEN = 'sim-zomro-token-3f9a1c';
const simulatorsConfig = () => ({
  listen: { port: 4000, host: '127.0.0.1' },
  admin: { port: 0, host: '127.0.0.1' },
  clients: [{ name: 'local-admin', key: 'local-admin-key-change-me', roles: ['admin'] }],
  providers: [
    { id: 'zomro-sim', kind: 'zomro', url: 'http://127.0.0.1:36655/', timezone: 'UTC', auth: { token: ZOMRO_TOKEN } as Record<string, unknown> | null | string | undefined },
    { id: 'onapp-sim', kind: 'onapp', url: 'http://127.0.0.1:45703', auth: { username: 'sim-ops@example.com', password: 'sim-onapp-api-key-91c4e2' } as Record<string, unknown> | null },
  ],
});

const problemsOf = (config: unknown): string[] => {
  try {
    loadConfigObject(config, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the simulators config with one mistake', () => {
  it('is valid as printed', () => {
    expect(problemsOf(simulatorsConfig())).toEqual([]);
  });

  it('a port out of range says what a port may be, as a ${NAME} port does', () => {
    const config = simulatorsConfig();
    config.listen.port = 99_999;
    config.admin.port = -1;
    expect(problemsOf(config)).toEqual([
      'listen.port: must be a whole number from 0 to 65535 (0 = any free port)',
      'admin.port: must be a whole number from 0 to 65535 (0 = any free port)',
    ]);
  });

  it('a credential line deleted under auth: names the ways the kind takes', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = null;
    config.providers[1]!.auth = null;
    expect(problemsOf(config)).toEqual([
      'providers[0].auth (account zomro-sim): has no credential (nothing after its colon): auth takes { token } or { username, password }',
      'providers[1].auth (account onapp-sim): has no credential (nothing after its colon): auth takes { username, password }',
    ]);
  });

  it('auth left out names the ways too', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = undefined;
    expect(problemsOf(config)).toEqual(['providers[0].auth (account zomro-sim): required (auth takes { token } or { username, password })']);
  });

  it('a token written as auth itself is refused without quoting it', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = ZOMRO_TOKEN;
    const problems = problemsOf(config);
    expect(problems).toEqual(['providers[0].auth (account zomro-sim): must be keys, not a bare value: auth takes { token } or { username, password }']);
    expect(problems.join('\n')).not.toContain(ZOMRO_TOKEN);
  });

  it('a credential key with nothing after its colon is empty, as "" is', () => {
    const config = simulatorsConfig();
    config.providers[1]!.auth = { username: 'sim-ops@example.com', password: null };
    expect(problemsOf(config)).toEqual(['providers[1].auth.password (account onapp-sim): must not be empty']);
  });

  it('numbers and empty keys elsewhere say what to write, in the file\'s words', () => {
    const config = simulatorsConfig();
    Object.assign(config.providers[0]!, { retries: 2.5, timeoutMs: 0, name: null });
    Object.assign(config, { limits: { maxDepth: 1000 }, protection: null });
    expect(problemsOf(config)).toEqual(
      expect.arrayContaining([
        'providers[0].retries (account zomro-sim): must be a whole number',
        'providers[0].timeoutMs (account zomro-sim): must be more than 0',
        'providers[0].name (account zomro-sim): has no value (nothing after its colon): write text',
        'limits.maxDepth: must be at most 100',
        'protection: has no value (nothing after its colon): write keys and values (key: value, or { key: value })',
      ]),
    );
    expect(problemsOf(config).join('\n')).not.toMatch(/Too (big|small)|Invalid input|expected \w+, received/);
  });

  it('a list item with nothing after its "-" says so', () => {
    const config = { ...simulatorsConfig(), providers: [null] };
    expect(problemsOf(config)).toEqual(['providers[0] (the 1st provider): has no value (nothing after its "-"): write keys and values (key: value, or { key: value })']);
  });
});

describe('a credential one indent short of auth', () => {
  it('says it goes under auth, at every kind, without quoting it', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = null;
    Object.assign(config.providers[0]!, { token: ZOMRO_TOKEN });
    config.providers[1]!.auth = { username: 'sim-ops@example.com' };
    Object.assign(config.providers[1]!, { password: 'sim-onapp-api-key-91c4e2' });
    const problems = problemsOf(config);
    expect(problems).toEqual([
      'providers[0].auth (account zomro-sim): has no credential (nothing after its colon): auth takes { token } or { username, password }',
      'providers[0].token (account zomro-sim): unknown key here; token goes under auth: indent it below "auth:"',
      'providers[1].auth.password (account onapp-sim): required',
      'providers[1].password (account onapp-sim): unknown key here; password goes under auth: indent it below "auth:"',
    ]);
    expect(problems.join('\n')).not.toMatch(/sim-zomro-token|sim-onapp-api-key/);
  });
});

describe('a credential left in braces without its key', () => {
  // `auth: { token: sim-zomro-token-3f9a1c }` with "token: " deleted is YAML's `{ sim-zomro-token-3f9a1c: null }`:
  // the secret became an unknown key, and the problem line's path quoted it whole.
  it('is an unknown key the problem does not quote, under auth and in a client', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = parseYaml(`{ ${ZOMRO_TOKEN} }`) as Record<string, unknown>;
    const client = parseYaml('{ name: local-admin, local-admin-key-change-me, roles: [admin] }') as Record<string, unknown>;
    const problems = problemsOf({ ...config, clients: [client] });
    expect(problems).toEqual([
      'clients[0].key (client local-admin): required',
      'clients[0] (client local-admin): a key with no value, not quoted (it may be a secret written without its key); allowed here: name, key, roles, providers',
      'providers[0].auth (account zomro-sim): a key with no value, not quoted (it may be a secret written without its key); allowed here: token, username, password',
      'providers[0].auth.token (account zomro-sim): required (auth takes { token } or { username, password })',
    ]);
    expect(problems.join('\n')).not.toMatch(/sim-zomro-token|local-admin-key/);
  });

  // `{ id: zomro-sim, kind: zomro, url: ..., sim-zomro-token-3f9a1c }` with `auth: { token: ... }` cut down to the value.
  it('is not quoted in the account block itself either', () => {
    const config = simulatorsConfig();
    const account = config.providers[0]! as Record<string, unknown>;
    delete account.auth;
    const problems = problemsOf({ ...config, providers: [{ ...account, [ZOMRO_TOKEN]: null }, ...config.providers.slice(1)] });
    expect(problems.some((line) => line.startsWith('providers[0] (account zomro-sim): a key with no value, not quoted'))).toBe(true);
    expect(problems.join('\n')).not.toMatch(/sim-zomro-token/);
  });

  it('at OnApp too; a misspelt credential key, which has a value, is still named', () => {
    const config = simulatorsConfig();
    config.providers[0]!.auth = { tokn: ZOMRO_TOKEN };
    config.providers[1]!.auth = parseYaml('{ username: sim-ops@example.com, sim-onapp-api-key-91c4e2 }') as Record<string, unknown>;
    const problems = problemsOf(config);
    expect(problems).toEqual(
      expect.arrayContaining([
        'providers[0].auth.tokn (account zomro-sim): unknown key; did you mean "token"?',
        'providers[1].auth (account onapp-sim): a key with no value, not quoted (it may be a secret written without its key); OnApp takes { username, password }: the user, and its API key as the password (HTTP basic)',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/sim-zomro-token|sim-onapp-api-key/);
  });
});

describe("a provider's port (or host) as a key of its own", () => {
  // `port: 36655` beside `url` read "unknown key; allowed here: id, name, url, ..." without a word on where it goes.
  it('says it goes in the url', () => {
    const config = simulatorsConfig();
    Object.assign(config.providers[0]!, { port: 36656 });
    Object.assign(config.providers[1]!, { host: '127.0.0.1' });
    expect(problemsOf(config)).toEqual([
      'providers[0].port (account zomro-sim): unknown key here; the port goes in url (http://HOST:PORT/ and the API\'s path)',
      'providers[1].host (account onapp-sim): unknown key here; the host goes in url (http://HOST:PORT/ and the API\'s path)',
    ]);
  });
});
