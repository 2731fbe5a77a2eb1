import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, loadConfigObject, validateConfig } from '../../src/config/load.js';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 't0ken' } };
const zstack = { id: 'zs', kind: 'zstack', url: 'https://zs/', auth: { sessionId: 's' }, backupStorageUuid: 'a'.repeat(32) };

describe('strict config: unknown keys are refused at every level, with a hint', () => {
  it('refuses misspelled keys inside a provider entry, naming the key it meant', () => {
    const problems = problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...zomro, timeoutMS: 5000, cacheTTLms: 1000, colour: 'blue' }, { ...zstack, backupStorageUUID: 'x' }] }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'providers[0].timeoutMS (account zomro-nl): unknown key; did you mean "timeoutMs"?',
        'providers[0].cacheTTLms (account zomro-nl): unknown key; did you mean "cacheTtlMs"?',
        expect.stringMatching(/^providers\[0\]\.colour \(account zomro-nl\): unknown key; allowed here: .*timeoutMs/),
        'providers[1].backupStorageUUID (account zs): unknown key; did you mean "backupStorageUuid"?',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('refuses unknown keys at the top, in limits, protection, admin, clients and auth', () => {
    const problems = problemsOf(() =>
      validateConfig({
        allowAnonymus: true,
        clients: [{ name: 'ops', key: 'k'.repeat(20), roles: ['admin'], role: 'admin' }],
        limits: { maxDeph: 5 },
        protection: { rpoHour: 12 },
        admin: { prot: 1 },
        providers: [{ ...zomro, auth: { tokn: 'x', token: 'y' } }],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'allowAnonymus: unknown key; did you mean "allowAnonymous"?',
        'clients[0].role (client ops): unknown key; did you mean "roles"?',
        'limits.maxDeph: unknown key; did you mean "maxDepth"?',
        'protection.rpoHour: unknown key; did you mean "rpoHours"?',
        'admin.prot: unknown key; did you mean "port"?',
        'providers[0].auth.tokn (account zomro-nl): unknown key; did you mean "token"?',
      ]),
    );
  });
});

describe('every problem in one pass', () => {
  it('reports missing environment variables, invalid values and duplicate ids together', () => {
    const problems = problemsOf(() =>
      loadConfigObject(
        {
          clients: [{ name: 'ops', key: '${OPS_KEY}', roles: ['admin'] }],
          listen: { port: 'eighty' },
          providers: [
            { ...zomro, auth: { token: '${ZOMRO_TOKEN}' }, timeoutMS: 1 },
            { ...zomro, url: '${ZOMRO_URL}' },
          ],
        },
        {},
      ),
    );
    expect(problems).toEqual([
      'clients[0].key (client ops): environment variable OPS_KEY is not set: set it, or set OPS_KEY_FILE to a file that holds the value',
      'providers[0].auth.token (the 1st provider): environment variable ZOMRO_TOKEN is not set: set it, or set ZOMRO_TOKEN_FILE to a file that holds the value',
      'providers[1].url (the 2nd provider): environment variable ZOMRO_URL is not set: set it, or set ZOMRO_URL_FILE to a file that holds the value',
      'listen.port: must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)',
      'providers[0].timeoutMS (the 1st provider): unknown key; did you mean "timeoutMs"?',
      'providers[1].id (the 2nd provider): duplicate provider id "zomro-nl"',
    ]);
  });

  it('calls a key left out "required", not a value of the wrong type ("expected array, received undefined")', () => {
    const problems = problemsOf(() =>
      validateConfig({
        clients: [{ name: 'ops', key: 'k'.repeat(20), role: ['admin'] }],
        providers: [{ ...zstack, backupStorageUuid: undefined }],
      }),
    );
    expect(problems).toEqual(['clients[0].roles (client ops): required', 'clients[0].role (client ops): unknown key; did you mean "roles"?', 'providers[0].backupStorageUuid (account zs): required']);
    // An empty file: the list of providers is missing, not wrong.
    expect(problemsOf(() => loadConfigObject(null, {}))).toEqual(['providers: required', 'clients: required: name at least one client, or set allowAnonymous: true']);
  });

  it('says in words why the file cannot be read, the path first as every other problem with the file (it began "(file):")', () => {
    expect(problemsOf(() => loadConfigFile('/nonexistent/backup-graph.yaml', {}))).toEqual(['/nonexistent/backup-graph.yaml: cannot read it: no such file']);
    expect(problemsOf(() => loadConfigFile('test', {}))).toEqual(['test: cannot read it: it is a directory: name the config file in it']);
    // A path through a file (a config dir that is a file after a bad mount or copy) read "ENOTDIR".
    expect(problemsOf(() => loadConfigFile('package.json/backup-graph.yaml', {}))).toEqual(['package.json/backup-graph.yaml: cannot read it: a part of its path is a file, not a directory']);
  });

  it('says a file that begins with npm\'s own lines (saved without npm start --silent) is npm\'s output, and how to write it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-config-'));
    try {
      const file = join(directory, 'sims.yaml');
      const npmLines = '\n> backup-graph@0.1.0 prestart\n> node scripts/build.mjs --if-stale\n\n\n> backup-graph@0.1.0 start\n> exec node dist/main.js --simulators\n\n';
      writeFileSync(file, `${npmLines}allowAnonymous: true\nproviders:\n  - { id: zs, kind: zstack, url: "https://zs/", auth: { sessionId: s }, backupStorageUuid: ${'a'.repeat(32)} }\n`);
      expect(problemsOf(() => loadConfigFile(file, {}))).toEqual([
        `${file}:2:1: not valid YAML: line 2 is npm's own output ("> backup-graph@0.1.0 prestart"): write the file with \`npm start --silent -- ...\` (--silent keeps npm's lines out), or delete them`,
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('says where a file is not YAML in YAML\'s words, without the colon that led to its quote of the file (left out: it may hold a secret)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-config-'));
    try {
      const file = join(directory, 'backup-graph.yaml');
      writeFileSync(file, 'providers:\n  - id: a\n   kind: zomro\n');
      expect(problemsOf(() => loadConfigFile(file, {}))).toEqual([`${file}:3:1: not valid YAML: Sequence item without - indicator: line 3 is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('says a ${NAME} left unquoted inside { } or [ ] is what YAML refused, and to quote it (YAML said only "Unexpected flow-map-start")', () => {
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-config-'));
    try {
      const file = join(directory, 'backup-graph.yaml');
      writeFileSync(file, 'allowAnonymous: true\nproviders:\n  - { id: z, kind: zomro, url: "https://api.zomro.com/", auth: { token: ${ZOMRO_SESSION} } }\n');
      expect(problemsOf(() => loadConfigFile(file, { ZOMRO_SESSION: 'abcdefgh' }))).toEqual([
        `${file}:3:74: not valid YAML: Unexpected flow-map-start at node end; line 3 has a \${NAME} without quotes inside { } or [ ], where YAML reads its { as a map: write it in quotes, "\${NAME}"`,
      ]);
      // Quoted, or in block style (where YAML reads it as plain text), it is the variable.
      writeFileSync(file, 'allowAnonymous: true\nproviders:\n  - id: z\n    kind: zomro\n    url: https://api.zomro.com/\n    auth:\n      token: ${ZOMRO_SESSION}\n    timezone: UTC\n');
      expect(loadConfigFile(file, { ZOMRO_SESSION: 'abcdefgh' }).providers[0]!.auth).toEqual({ token: 'abcdefgh' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('names an unquoted ${NAME} only where YAML stopped at its {: inside [ ] too, and not for another refusal of a block line that holds one', () => {
    const directory = mkdtempSync(join(tmpdir(), 'backup-graph-config-'));
    try {
      const file = join(directory, 'backup-graph.yaml');
      writeFileSync(file, 'allowAnonymous: true\nlisten:\n  allowedHosts: [ ${GATEWAY_HOST} ]\nproviders: []\n');
      expect(problemsOf(() => loadConfigFile(file, {}))).toEqual([
        `${file}:3:20: not valid YAML: Missing , or : between flow sequence items; line 3 has a \${NAME} without quotes inside { } or [ ], where YAML reads its { as a map: write it in quotes, "\${NAME}"`,
      ]);
      // A block line: YAML stopped at the `$` of a value holding `: `, no flow collection in sight.
      writeFileSync(file, 'allowAnonymous: true\nproviders:\n  - id: z\n    auth:\n      token: ${ZOMRO_SESSION}: x\n');
      expect(problemsOf(() => loadConfigFile(file, {}))).toEqual([`${file}:5:14: not valid YAML: Nested mappings are not allowed in compact mappings: a value holding ": " is read as another key: write the value in quotes`]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('accepts a valid config with its variables set', () => {
    const config = loadConfigObject({ allowAnonymous: true, providers: [{ ...zomro, auth: { token: '${ZOMRO_TOKEN}' } }] }, { ZOMRO_TOKEN: 'value' });
    expect(config.providers[0]).toMatchObject({ auth: { token: 'value' } });
  });
});

describe('a provider entry whose kind names no provider says what to write', () => {
  const entry = { id: 'dc1', url: 'https://my.erigones.com/api', auth: { apiKey: 'k'.repeat(20) } };

  it('a kind left out is required, not an "invalid discriminator value", and a misspelt key is named', () => {
    expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, id: 'danube', name: 'Danube' }] }))).toEqual(['providers[0].kind (account danube): required: one of zomro, onapp, zstack, danube']);
    expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, knd: 'danube' }] }))).toEqual([
      'providers[0].kind (account dc1): required: one of zomro, onapp, zstack, danube (is "knd" meant as kind?)',
    ]);
  });

  it('a kind in another case is told the lower-case word; another word is told the list, without quoting it', () => {
    expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, kind: 'Danube' }] }))).toEqual(['providers[0].kind (account dc1): must be "danube" (kinds are lower case)']);
    const problems = problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, kind: 'hunter2-secret' }] }));
    expect(problems).toEqual(['providers[0].kind (account dc1): must be one of zomro, onapp, zstack, danube']);
  });

  it('a kind nearly a kind (a typo, the company written its own way) is told the one it meant', () => {
    const problem = (kind: string) => problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, kind }] }));
    for (const [kind, meant] of [['on-app', 'onapp'], ['zstak', 'zstack'], ['Danube Cloud', 'danube'], ['ZStack Cloud', 'zstack'], ['zomr', 'zomro']]) {
      expect(problem(kind as string)).toEqual([`providers[0].kind (account dc1): must be one of zomro, onapp, zstack, danube; did you mean "${meant}"?`]);
    }
    expect(problem('vmware')).toEqual(['providers[0].kind (account dc1): must be one of zomro, onapp, zstack, danube']);
  });

  it('a kind with spaces around it (a YAML value copied with them) is told the word; a kind that is no text is told the list', () => {
    expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, kind: ' Danube ' }] }))).toEqual(['providers[0].kind (account dc1): must be "danube" (kinds are lower case)']);
    // `kind: 5` or `kind: [danube]` in the file: a problem line, not a TypeError from reading it as text.
    for (const kind of [5, true, ['danube'], { name: 'danube' }]) {
      expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...entry, kind }] }))).toEqual(['providers[0].kind (account dc1): must be one of zomro, onapp, zstack, danube']);
    }
  });
});

describe('secrets with a secret file’s last newline are refused, not taken as they are', () => {
  const config = {
    clients: [{ name: 'dashboard', key: '${DASHBOARD_KEY}', roles: ['viewer'] }],
    providers: [{ ...zstack, auth: { accountName: 'admin', password: '${ZSTACK_PASSWORD}' } }, { id: 'dc1', kind: 'danube', url: 'https://dc/api', auth: { apiKey: '${DANUBE_API_KEY}' } }],
  };
  it('a client key with whitespace at an end, a provider credential with a line break: each named, never quoted', () => {
    const env = { DASHBOARD_KEY: 'dash-7f3c9a1e5b2d4f60\n', ZSTACK_PASSWORD: 'zs-secret-5b1f\n', DANUBE_API_KEY: 'danube-key\r\n' };
    const problems = problemsOf(() => loadConfigObject(config, env));
    expect(problems).toEqual([
      "providers[0].auth.password (account zs): holds a line break (a secret file's last newline?): the provider would refuse it; remove it",
      "providers[1].auth.apiKey (account dc1): holds a line break (a secret file's last newline?): the provider would refuse it; remove it",
      "clients[0].key (client dashboard): begins or ends with whitespace or a line break (a secret file's last newline?): no caller can send that key; remove it",
    ]);
    for (const secret of Object.values(env)) expect(problems.join('\n')).not.toContain(secret.trim());
    // A space at a client key's end is refused too (HTTP drops it from the header); inside a key, or a provider password's ends, it is taken.
    expect(problemsOf(() => loadConfigObject(config, { ...env, DASHBOARD_KEY: ' dash-7f3c9a1e5b2d4f60', ZSTACK_PASSWORD: ' pass word ', DANUBE_API_KEY: 'danube-key' }))).toEqual([
      "clients[0].key (client dashboard): begins or ends with whitespace or a line break (a secret file's last newline?): no caller can send that key; remove it",
    ]);
    expect(problemsOf(() => loadConfigObject(config, { DASHBOARD_KEY: 'dash 7f3c9a1e5b2d4f60', ZSTACK_PASSWORD: ' pass word ', DANUBE_API_KEY: 'danube-key' }))).toEqual([]);
  });
});

describe('a provider url is the API’s base URL alone', () => {
  it('refuses user:password@, a query and a fragment (dropped without a word before), never quoting the url; a path and a trailing slash are fine', () => {
    const message = "providers[0].url (account zomro-nl): must be the API's base URL alone: no user:password@ (put credentials in auth), ?query or #fragment, which the gateway would drop";
    for (const url of ['https://ops:s3cret-pass@api.zomro.com/', 'https://api.zomro.com/?lang=en', 'https://api.zomro.com/#billmgr']) {
      const problems = problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...zomro, url }] }));
      expect(problems, url).toEqual([message]);
      expect(problems.join('\n')).not.toContain('s3cret-pass');
    }
    for (const url of ['https://api.zomro.com', 'https://api.zomro.com/', 'https://my.erigones.com/api/']) expect(problemsOf(() => validateConfig({ allowAnonymous: true, providers: [{ ...zomro, url }] })), url).toEqual([]);
  });
});
