import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigObject, substituteEnv, validateConfig } from '../../src/config/load.js';

const problemsOf = (input: unknown): string[] => {
  try {
    validateConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 't0ken' } };

describe('config validation', () => {
  it('checks the shutdown values in effect: the environment’s over the file’s', () => {
    const file = { allowAnonymous: true, providers: [zomro], shutdown: { drainTimeoutMs: 1_000, readyzGraceMs: 5_000 } };
    // Refused before although DRAIN_TIMEOUT_MS fixed it.
    expect(loadConfigObject(file, { DRAIN_TIMEOUT_MS: '8000' }).shutdown).toEqual({ drainTimeoutMs: 8_000, readyzGraceMs: 5_000 });
    expect(loadConfigObject({ ...file, shutdown: undefined }, { SHUTDOWN_READYZ_GRACE_MS: '2000' }).shutdown).toEqual({ drainTimeoutMs: 10_000, readyzGraceMs: 2_000 });
    expect(() => loadConfigObject(file, {})).toThrow(ConfigError);
    expect(() => loadConfigObject(file, { DRAIN_TIMEOUT_MS: '6000' })).toThrow(ConfigError);
  });

  it('refuses a readyz grace that leaves less than 1.5 s of the drain timeout, which counts from the signal, to close in', () => {
    expect(problemsOf({ allowAnonymous: true, providers: [zomro], shutdown: { readyzGraceMs: 8_501 } })).toEqual([
      'shutdown.readyzGraceMs: 8501 must leave at least 1500 ms of the drain timeout (10000, counted from the signal) to close in, or the gateway exits 1 before it has stopped: raise the drain timeout to 10001 or more (shutdown.drainTimeoutMs; DRAIN_TIMEOUT_MS overrides it where set), or lower the grace (SHUTDOWN_READYZ_GRACE_MS overrides it where set)',
    ]);
    expect(validateConfig({ allowAnonymous: true, providers: [zomro], shutdown: { readyzGraceMs: 8_500 } }).shutdown).toEqual({ drainTimeoutMs: 10_000, readyzGraceMs: 8_500 });
    expect(validateConfig({ allowAnonymous: true, providers: [zomro], shutdown: { drainTimeoutMs: 0, readyzGraceMs: 0 } }).shutdown.readyzGraceMs).toBe(0);
  });

  it('takes host names and .names as listen.allowedHosts, and refuses anything else', () => {
    expect(validateConfig({ allowAnonymous: true, providers: [zomro], listen: { allowedHosts: ['backups.example.net', '.corp.example', 'gw'] } }).listen.allowedHosts).toEqual(['backups.example.net', '.corp.example', 'gw']);
    expect(problemsOf({ allowAnonymous: true, providers: [zomro], listen: { allowedHosts: ['https://x.example', 'x.example:4000', '*'] } })).toEqual([
      'listen.allowedHosts[0]: must be a host name, or .name for it and the names under it',
      'listen.allowedHosts[1]: must be a host name, or .name for it and the names under it',
      'listen.allowedHosts[2]: must be a host name, or .name for it and the names under it',
    ]);
  });

  it('takes trusted proxies as addresses, CIDR ranges and range names, and names an entry that is none of them', () => {
    expect(validateConfig({ allowAnonymous: true, providers: [zomro], listen: { trustedProxies: ['10.0.0.0/8', '::1', 'loopback', 'uniquelocal'] } }).listen.trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
      'uniquelocal',
    ]);
    expect(problemsOf({ allowAnonymous: true, providers: [zomro], listen: { trustedProxies: ['10.0.0.0/8', 'haproxy', '10.0.0.0/33'] } })).toEqual([
      'listen.trustedProxies[1]: not an address, a CIDR range or loopback/linklocal/uniquelocal (invalid IP address: haproxy)',
      'listen.trustedProxies[2]: not an address, a CIDR range or loopback/linklocal/uniquelocal (invalid range on address: 10.0.0.0/33)',
    ]);
  });

  it('accepts the documented shape and fills defaults', () => {
    const config = validateConfig({ allowAnonymous: true, providers: [zomro] });
    expect(config.listen).toEqual({ port: 4000, host: '0.0.0.0', trustedProxies: [], allowedHosts: [] });
    // No zone filled in: left out, the account runs on UTC and the start warns (config/default-timezone.ts).
    expect(config.providers[0]).toMatchObject({ id: 'zomro-nl' });
    expect(config.providers[0]?.timezone).toBeUndefined();
    expect(config.limits.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.limits).toMatchObject({ maxWsConnections: 1000, maxWsConnectionsPerClient: 20, maxSubscriptionsPerConnection: 20 });
    expect(config.admin).toEqual({ port: 9464, host: '127.0.0.1', allowedHosts: [] });
  });

  it('names the key path of every problem', () => {
    const problems = problemsOf({
      listen: { port: 'eighty' },
      clients: [{ name: 'dash', key: 'short', roles: ['superuser'] }],
      providers: [
        { ...zomro, auth: { username: 'ops' } },
        { ...zomro, id: 'Bad Id', url: 'ftp://x', timezone: 'Mars/Olympus' },
        { ...zomro, kind: 'acme' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^listen\.port: /),
        expect.stringMatching(/^clients\[0\]\.key \(client dash\): must be at least 16 characters/),
        expect.stringMatching(/^clients\[0\]\.roles\[0\] \(client dash\): /),
        expect.stringMatching(/^providers\[0\]\.auth\.password \(the 1st provider\): required/),
        expect.stringMatching(/^providers\[1\]\.id \(the 2nd provider\): must match/),
        expect.stringMatching(/^providers\[1\]\.url \(the 2nd provider\): /),
        expect.stringMatching(/^providers\[1\]\.timezone \(the 2nd provider\): must be an IANA time zone/),
        expect.stringMatching(/^providers\[2\]\.kind \(the 3rd provider\): /),
      ]),
    );
  });

  it('refuses a config without clients unless allowAnonymous is set, and duplicate ids', () => {
    expect(problemsOf({ providers: [zomro] })).toEqual([expect.stringMatching(/^clients: required/)]);
    expect(problemsOf({ allowAnonymous: true, providers: [zomro, zomro] })).toEqual([expect.stringMatching(/^providers\[1\]\.id \(the 2nd provider\): duplicate/)]);
  });

  it('takes anonymousRole only with allowAnonymous, and only a role', () => {
    expect(problemsOf({ clients: [{ name: 'ops', key: 'a'.repeat(20), roles: ['admin'] }], anonymousRole: 'viewer', providers: [zomro] })).toEqual(['anonymousRole: has no effect without allowAnonymous: true']);
    expect(problemsOf({ allowAnonymous: true, anonymousRole: 'root', providers: [zomro] })).toEqual([expect.stringMatching(/^anonymousRole: /)]);
    expect(validateConfig({ allowAnonymous: true, anonymousRole: 'operator', providers: [zomro] }).anonymousRole).toBe('operator');
    expect(validateConfig({ allowAnonymous: true, providers: [zomro] }).anonymousRole).toBeUndefined();
  });

  it('refuses two clients of one name: records and audit lines must tell them apart', () => {
    const problems = problemsOf({
      clients: [
        { name: 'ops', key: 'a'.repeat(20), roles: ['admin'] },
        { name: 'ops', key: 'b'.repeat(20), roles: ['viewer'], providers: ['zomro-nl'] },
      ],
      providers: [zomro],
    });
    expect(problems).toEqual([expect.stringMatching(/^clients\[1\]\.name \(the 2nd client\): duplicate client name "ops"/)]);
  });

  it('fills the budget defaults and takes a rate limit', () => {
    const config = validateConfig({ allowAnonymous: true, providers: [zomro], limits: { rateLimit: { requestsPerSecond: 5, burst: 20 } } });
    expect(config.limits).toMatchObject({ maxListArgument: 1_000, maxUpstreamCallsPerRequest: 10_000, readCacheMaxEntries: 100_000, idempotencyMaxEntries: 100_000, rateLimit: { requestsPerSecond: 5, burst: 20 } });
    expect(validateConfig({ allowAnonymous: true, providers: [zomro] }).limits.rateLimit).toBeUndefined();
    expect(problemsOf({ allowAnonymous: true, providers: [zomro], limits: { rateLimit: { requestsPerSecond: 0, burst: 1 } } })).toEqual([expect.stringMatching(/^limits\.rateLimit\.requestsPerSecond: /)]);
  });

  it('with providers misspelt or left out, says that alone: no "no provider has id" for each id named elsewhere', () => {
    const scoped = { clients: [{ name: 'ops', key: 'k'.repeat(20), roles: ['admin'], providers: ['zomro-nl'] }], protection: { perProvider: { 'zomro-nl': 48 } } };
    expect(problemsOf({ ...scoped, provider: [zomro] })).toEqual(['providers: required', 'provider: unknown key; did you mean "providers"?']);
    expect(problemsOf(scoped)).toEqual(['providers: required']);
  });

  it('says a provider url left out is required, and shows a whole URL for one without its scheme (both were "must be an http(s) URL")', () => {
    const { url: _left, ...noUrl } = zomro;
    expect(problemsOf({ allowAnonymous: true, providers: [noUrl] })).toEqual(['providers[0].url (account zomro-nl): required']);
    expect(problemsOf({ allowAnonymous: true, providers: [{ ...zomro, url: '127.0.0.1:8080' }] })).toEqual(['providers[0].url (account zomro-nl): must be an http(s) URL, its scheme first: https://127.0.0.1:8080 (or http:// for an API without TLS)']);
    // Not of plain parts (it may hold a credential): the example only.
    expect(problemsOf({ allowAnonymous: true, providers: [{ ...zomro, url: 'ops:pw@127.0.0.1:8080' }] })).toEqual(['providers[0].url (account zomro-nl): must be an http(s) URL, such as https://api.example.com/']);
  });

  it('says a provider url with a port past 65535 has a wrong port (it said "must be an http(s) URL" of an http URL)', () => {
    expect(problemsOf({ allowAnonymous: true, providers: [{ ...zomro, url: 'http://127.0.0.1:443590/' }] })).toEqual(['providers[0].url (account zomro-nl): must be an http(s) URL: its port 443590 is out of range (1-65535)']);
    // Only the port is quoted: a user:password@ before it stays out of the message.
    expect(problemsOf({ allowAnonymous: true, providers: [{ ...zomro, url: 'https://ops:s3cret-pass@api.example.com:99999' }] })).toEqual(['providers[0].url (account zomro-nl): must be an http(s) URL: its port 99999 is out of range (1-65535)']);
  });

  it('tells an OnApp auth with apiKey that the API key is the password (it listed the allowed keys alone)', () => {
    const onapp = { id: 'flex', kind: 'onapp', url: 'https://cloud.example.com', auth: { apiKey: 'k'.repeat(20) } };
    expect(problemsOf({ allowAnonymous: true, providers: [onapp] })).toEqual([
      'providers[0].auth.username (account flex): required',
      'providers[0].auth.password (account flex): required',
      'providers[0].auth.apiKey (account flex): unknown key; OnApp takes { username, password }: the user, and its API key as the password (HTTP basic)',
    ]);
  });

  it('says a quoted number or boolean, or one from ${NAME}, must be written without quotes (it said "expected number, received string")', () => {
    const problems: string[] = [];
    const substituted = substituteEnv({ allowAnonymous: '${ANON}', providers: [zomro], listen: { port: '4100' }, protection: { rpoHours: '24' } }, { ANON: 'true' }, problems);
    expect(problems).toEqual([]);
    expect(problemsOf(substituted)).toEqual([
      'listen.port: must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)',
      'allowAnonymous: must be a boolean, written without quotes (a ${NAME} always gives a string)',
      'protection.rpoHours: must be a number, written without quotes (a ${NAME} always gives a string)',
    ]);
  });

  it('names the words a role or log level takes as the other checks do (zod said \'Invalid option: expected one of "viewer"|"operator"|"admin"\')', () => {
    expect(problemsOf({ clients: [{ name: 'ops', key: 'k'.repeat(20), roles: ['read'] }], providers: [zomro], logLevel: 'verbose' })).toEqual([
      'clients[0].roles[0] (client ops): must be one of viewer, operator, admin',
      'logLevel: must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('refuses a client scoped to no account (providers: []): its every list answered empty, "0 unprotected" on a dashboard', () => {
    expect(problemsOf({ clients: [{ name: 'ops', key: 'k'.repeat(20), roles: ['admin'], providers: [] }], providers: [zomro] })).toEqual([
      'clients[0].providers (client ops): names no account, so every list answers empty: leave providers out for every account, or name the ones this client may see',
    ]);
  });

  it('refuses a client scoped to a provider that does not exist', () => {
    const problems = problemsOf({ clients: [{ name: 'ops', key: 'k'.repeat(20), roles: ['admin'], providers: ['nope'] }], providers: [zomro] });
    expect(problems).toEqual([expect.stringMatching(/^clients\[0\]\.providers\[0\] \(client ops\): no provider has id "nope"/)]);
  });
});

describe('${ENV} substitution', () => {
  it('replaces variables anywhere in string values and names the key of a missing one', () => {
    const problems: string[] = [];
    const out = substituteEnv({ providers: [{ auth: { token: 'x-${TOKEN}-y', other: '${MISSING}' } }] }, { TOKEN: 'abc' }, problems);
    expect(out).toEqual({ providers: [{ auth: { token: 'x-abc-y', other: '' } }] });
    expect(problems).toEqual(['providers[0].auth.other: environment variable MISSING is not set: set it, or set MISSING_FILE to a file that holds the value']);
  });

  it('refuses the shell\'s $NAME without braces where NAME is set, saying to write ${NAME} (it was taken as the literal text)', () => {
    const problems: string[] = [];
    const out = substituteEnv({ clients: [{ key: '$OPS_KEY' }], providers: [{ auth: { password: '$ONAPP_KEY', token: '$Literal1', other: 'pa$WORD' } }] }, { OPS_KEY: 'k'.repeat(20), ONAPP_KEY_FILE: '/run/secrets/onapp' }, problems);
    expect(problems).toEqual([
      'clients[0].key: $OPS_KEY is taken as it stands, not read from the environment: write "${OPS_KEY}"',
      'providers[0].auth.password: $ONAPP_KEY is taken as it stands, not read from the environment: write "${ONAPP_KEY}"',
    ]);
    // A secret that only looks like one (no such variable), or has a $ inside, is left as written.
    expect(out).toMatchObject({ providers: [{ auth: { token: '$Literal1', other: 'pa$WORD' } }] });
  });

  it('says, where a $NAME with NAME unset is refused as a value, that it was read as text and how to read the variable', () => {
    // `key: $DASHBOARD_KEY` with the variable forgotten read only "must be at least 16 characters".
    const file = { clients: [{ name: 'dash', key: '$DASHBOARD_KEY', roles: ['viewer'] }, { name: 'ops', key: 'o'.repeat(20), roles: ['admin'] }], providers: [{ id: 'z', kind: 'zomro', url: '$ZOMRO_URL', auth: { token: '$Zomro_token_1' } }] };
    let problems: string[] = [];
    try {
      loadConfigObject(file, {});
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      'clients[0].key (client dash): must be at least 16 characters (it is written as a shell variable, $ and a name, that is not set, so it is read as text; for the environment variable, set it and write "${NAME}")',
      'providers[0].url (account z): must be an http(s) URL, such as https://api.example.com/ (it reads $ZOMRO_URL as text: ZOMRO_URL is not set; for the environment variable, set it and write "${ZOMRO_URL}")',
    ]);
  });

  it('never quotes a client key or provider credential that only looks like $NAME, whatever refuses it', () => {
    // A literal key may start with $: given to two clients, the hint quoted it whole as a variable's name.
    const key = '$Literal_key_of_ops_2024';
    const file = { clients: [{ name: 'ops', key, roles: ['admin'] }, { name: 'ops2', key, roles: ['admin'] }], providers: [{ id: 'd', kind: 'danube', url: 'https://dc/api', auth: { apiKey: 'k'.repeat(20), username: '$Danube_user_7' } }] };
    let problems: string[] = [];
    try {
      loadConfigObject(file, {});
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.filter((line) => line.includes('Literal_key_of_ops_2024') || line.includes('Danube_user_7'))).toEqual([]);
    expect(problems.find((line) => line.startsWith('clients[1].key (client ops2): the same key is given to two clients'))).toContain('set it and write "${NAME}"');
  });
});

describe('auth: one way to authenticate per account', () => {
  const danube = { id: 'dc1', kind: 'danube', url: 'https://dc/api' };
  const zstack = { id: 'lab', kind: 'zstack', url: 'https://zs/', backupStorageUuid: 'a'.repeat(32) };
  const config = (...providers: unknown[]) => ({ allowAnonymous: true, providers });

  it('refuses keys of two ways at once, naming them (one way used to win silently)', () => {
    expect(problemsOf(config({ ...danube, auth: { apiKey: 'k'.repeat(20), username: 'ops' } }))).toEqual([
      'providers[0].auth (account dc1): takes one way to authenticate, { apiKey } or { username, password }, not keys of both (given: apiKey, username)',
    ]);
    expect(problemsOf(config({ ...danube, auth: { apiKey: 'k'.repeat(20), username: 'ops', password: 'p'.repeat(12) } }))).toEqual([
      'providers[0].auth (account dc1): takes one way to authenticate, { apiKey } or { username, password }, not keys of both (given: apiKey, username, password)',
    ]);
    expect(problemsOf(config({ ...zomro, auth: { token: 't0ken-long', password: 'p'.repeat(12) } }))).toEqual([
      'providers[0].auth (account zomro-nl): takes one way to authenticate, { token } or { username, password }, not keys of both (given: token, password)',
    ]);
    expect(problemsOf(config({ ...zstack, auth: { accountName: 'admin', password: 'p'.repeat(12), sessionId: 's'.repeat(32) } }))).toEqual([
      'providers[0].auth (account lab): takes one way to authenticate, { accountName, password } or { sessionId }, not keys of both (given: accountName, password, sessionId)',
    ]);
  });

  it('reports it with the other problems of the file, in one pass', () => {
    const problems = problemsOf({ providers: [{ ...danube, auth: { apiKey: 'k'.repeat(20), username: 'ops', pasword: 'x' } }, { ...zomro, url: 'ftp://x' }] });
    expect(problems).toEqual(
      expect.arrayContaining([
        'providers[0].auth.pasword (account dc1): unknown key; did you mean "password"?',
        expect.stringMatching(/^providers\[0\]\.auth \(account dc1\): takes one way to authenticate/),
        expect.stringMatching(/^providers\[1\]\.url \(account zomro-nl\): /),
        expect.stringMatching(/^clients: required/),
      ]),
    );
  });

  it('takes each way alone, and still names the missing half of a login', () => {
    expect(problemsOf(config({ ...danube, auth: { apiKey: 'k'.repeat(20) } }, { ...danube, id: 'dc2', auth: { username: 'ops', password: 'p'.repeat(12) } }))).toEqual([]);
    expect(problemsOf(config({ ...danube, auth: { username: 'ops' } }))).toEqual(['providers[0].auth.password (account dc1): required (auth takes { apiKey } or { username, password })']);
    expect(problemsOf(config({ ...zstack, auth: { sessionId: 's'.repeat(32) } }, { ...zomro, auth: { username: 'ops', password: 'p'.repeat(12) } }))).toEqual([]);
  });
});
