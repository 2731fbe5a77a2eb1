import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand, providerNames } from '../../src/cli.js';
import { readSchemaText } from '../../src/graphql/schema-file.js';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { isLoopbackHost } from '../../src/server/serve.js';
import { drainTimeoutMs, echoMs, readyzGraceMs } from '../../src/server/shutdown.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { bundleServeInputs, staticImportGraph } from './import-graph.js';
import { ROOT, ensureBuilt, shellEnv, start } from './process.js';

const OPTION_LIST = '--config FILE, --check-config FILE, --print-schema, --simulators, --demo-public, --help (-h)';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });

const file = (text: string): string => {
  const path = join(temp.make('bg-config-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

describe('command line', () => {
  it('--help prints the usage', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--check-config FILE');
    // The providers it names are schema.graphql's enum ProviderKind, one per registry kind.
    const names = providerNames(readSchemaText());
    expect(names).toHaveLength(PROVIDER_KINDS.length);
    expect(names).toContain('Danube Cloud');
    expect(result.stdout).toContain(`VM backups at ${names.slice(0, -1).join(', ')} and ${names.at(-1)}.`);
  });

  it('--help names every environment variable the gateway reads', () => {
    const help = run(['--help']).stdout;
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    const read = new Set(sources.flatMap((name) => [...readFileSync(join(ROOT, 'src', name), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!)));
    // GRAPHIQL_ASSETS is set by the gateway for its own asset-building child, not by users.
    read.delete('GRAPHIQL_ASSETS');
    // INIT_CWD is set by npm (where `npm start` was typed), read only to explain a relative config path not found.
    read.delete('INIT_CWD');
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !help.includes(name))).toEqual([]);
  });

  it('names each enum ProviderKind value by its description, or by the value when it has none', () => {
    const schema = 'enum ProviderKind {\n  "Zomro Cloud VPS (BILLmanager)."\n  ZOMRO\n  ACME\n  "Danube Cloud (Erigones), with tasks."\n  DANUBE\n}\nenum Capability {\n  LIST\n}';
    expect(providerNames(schema)).toEqual(['Zomro Cloud VPS', 'ACME', 'Danube Cloud']);
  });

  it('--print-schema prints the SDL', () => {
    const result = run(['--print-schema']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('type Instance implements Node');
  });

  it('--check-config accepts a valid file, with ${ENV} substituted', () => {
    const path = file('allowAnonymous: true\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.com/", auth: { token: "${ZOMRO_TOKEN}" } }\n');
    const result = run(['--check-config', path], { ZOMRO_TOKEN: 'secret-token-value' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('valid');
  });

  it('--check-config and start-up exit 2 with one line per problem, naming key paths, never the secret', () => {
    const path = file('clients: []\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.com/", auth: { username: "${ZOMRO_USER}" } }\n');
    for (const args of [['--check-config', path], ['--config', path]]) {
      const result = run(args, { ZOMRO_USER: 'ops-user' });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('providers[0].auth.password (account zomro-nl): required');
      expect(result.stderr).toContain('clients: required');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missingEnv = run(['--check-config', file('allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "${NOT_SET_ANYWHERE}" } }\n')]);
    expect(missingEnv.status).toBe(2);
    expect(missingEnv.stderr).toContain('providers[0].auth.token (account a): environment variable NOT_SET_ANYWHERE is not set: set it, or set NOT_SET_ANYWHERE_FILE to a file that holds the value');
    // Three starts of the CLI: 5 s on a quiet machine, 32 s in a loaded full run (timed out at 30).
  }, 60_000);

  // The scrubber skips secrets under 6 characters (src/upstream/secrets.ts); nothing told the operator.
  const SHORT = 'Qz9x7';
  const shortSecretConfig = () =>
    file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: flex, kind: onapp, url: "http://127.0.0.1:9/", auth: { username: ops, password: "\${ONAPP_KEY}" } }\n`);

  it('--check-config warns of a provider secret too short to be scrubbed, naming account and key but not the value: still valid (exit 0)', () => {
    const result = run(['--check-config', shortSecretConfig()], { ONAPP_KEY: SHORT });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(
      'warning: providers[0].auth.password (account flex) is shorter than 6 characters: it is not scrubbed from provider text (errors, names, raw records) before answers and logs; configure a longer one',
    );
    expect(result.stdout).toMatch(/: valid \(1 warning\)\n$/);
    expect(result.stdout + result.stderr).not.toContain(SHORT);
    const long = run(['--check-config', shortSecretConfig()], { ONAPP_KEY: 'a-longer-api-key' });
    expect(long.stderr).toBe('');
    expect(long.stdout).toMatch(/: valid\n$/);
    // Two runs of the TypeScript sources under tsx: each took some 16 s in a full run beside other work.
  }, 60_000);

  // A budget below one answer's size limit reads large answers one at a time: concurrent large lists time out, and nothing said why.
  const smallBudgetConfig = () =>
    file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nlimits: { maxAnswerBytesHeld: 8388608 }\nproviders:\n  - { id: flex, kind: onapp, url: "http://127.0.0.1:9/", auth: { username: ops, password: a-longer-api-key } }\n`);

  it('--check-config warns of limits.maxAnswerBytesHeld below one answer\'s size limit: still valid (exit 0)', () => {
    const result = run(['--check-config', smallBudgetConfig()]);
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toMatch(/^warning: limits\.maxAnswerBytesHeld \(8388608\) is below one upstream answer's size limit \(33554432, 32 MiB\).*PROVIDER_TIMEOUT/);
    expect(result.stdout).toMatch(/: valid \(1 warning\)\n$/);
  });

  it('start-up logs the small answer budget warning, then starts', async () => {
    const gateway = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', smallBudgetConfig()], shellEnv({ LOG_FORMAT: 'json' }));
    try {
      await gateway.waitFor(/GraphiQL: /);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const warning = lines.find((line) => typeof line.msg === 'string' && line.msg.startsWith('limits.maxAnswerBytesHeld'));
      expect(warning).toMatchObject({ level: 40, setting: 'limits.maxAnswerBytesHeld', msg: expect.stringContaining('PROVIDER_TIMEOUT') });
      gateway.child.kill('SIGTERM');
      expect((await gateway.exited).code).toBe(0);
    } finally {
      gateway.kill();
    }
  }, 60_000);

  it('--check-config warns of a client key written $NAME with NAME unset (the key would be the name), without quoting it: still valid (exit 0)', () => {
    const config = file(`listen: { port: 0, host: 127.0.0.1 }\nclients:\n  - { name: dash, key: $DASHBOARD_KEY_PRODUCTION, roles: [viewer] }\nproviders:\n  - { id: dc1, kind: danube, url: "http://127.0.0.1:9/", auth: { apiKey: "\${DANUBE_KEY}" } }\n`);
    const result = run(['--check-config', config], { DANUBE_KEY: 'a-long-enough-api-key' });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe('warning: clients[0].key (client dash) is written as a shell variable ($ and a name) that is not set, so it is used as the literal text; to read the environment variable, set it and write ${NAME}');
    expect(result.stdout).toMatch(/: valid \(1 warning\)\n$/);
    expect(result.stdout + result.stderr).not.toContain('DASHBOARD_KEY_PRODUCTION');
  });

  it('start-up logs the same warning (account and key as fields, never the value), then starts', async () => {
    const gateway = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', shortSecretConfig()], shellEnv({ ONAPP_KEY: SHORT, LOG_FORMAT: 'json' }));
    try {
      await gateway.waitFor(/GraphiQL: /);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const warning = lines.find((line) => typeof line.msg === 'string' && line.msg.includes('not scrubbed'));
      expect(warning).toMatchObject({ level: 40, provider: 'flex', setting: 'auth.password', msg: expect.stringMatching(/^providers\[0\]\.auth\.password \(account flex\) is shorter than 6 characters/) });
      expect(gateway.output()).not.toContain(SHORT);
      gateway.child.kill('SIGTERM');
      expect((await gateway.exited).code).toBe(0);
    } finally {
      gateway.kill();
    }
  }, 60_000);

  // Zomro's and ZStack's dates carry no zone: read as UTC unless the account names its panel's zone.
  const zonelessConfig = (zone: string) =>
    file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: a-long-session-token }${zone} }\n  - { id: dc1, kind: danube, url: "http://127.0.0.1:9/", auth: { apiKey: a-long-enough-api-key } }\n`);

  it('--check-config and start-up warn of a Zomro account without `timezone` (its dates read as UTC), not of one that names it: still valid, still starts', async () => {
    const warned = run(['--check-config', zonelessConfig('')]);
    expect(warned.status).toBe(0);
    expect(warned.stderr.trim()).toBe(
      "warning: providers[0].timezone (account zomro-nl) is not set: this API's dates carry no zone, so they are read as UTC; if the panel's clock is on another zone every backup reads older or younger by the offset (and protection with it): set the panel's zone, e.g. timezone: Europe/Amsterdam, or timezone: UTC to confirm",
    );
    expect(warned.stdout).toMatch(/: valid \(1 warning\)\n$/);
    const named = run(['--check-config', zonelessConfig(', timezone: UTC')]);
    expect(named.stderr).toBe('');
    expect(named.stdout).toMatch(/: valid\n$/);
    const gateway = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', zonelessConfig('')], shellEnv({ LOG_FORMAT: 'json' }));
    try {
      await gateway.waitFor(/GraphiQL: /);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const warning = lines.find((line) => typeof line.msg === 'string' && line.msg.includes('carry no zone'));
      expect(warning).toMatchObject({ level: 40, provider: 'zomro-nl', setting: 'timezone', msg: expect.stringMatching(/^providers\[0\]\.timezone \(account zomro-nl\) is not set/) });
      gateway.child.kill('SIGTERM');
      expect((await gateway.exited).code).toBe(0);
    } finally {
      gateway.kill();
    }
  }, 60_000);

  it('start-up logs a provider secret written $NAME with NAME unset (the path as a field, never the value), then starts', async () => {
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: dc1, kind: danube, url: "http://127.0.0.1:9/", auth: { apiKey: $DANUBE_API_KEY_UNSET } }\n`);
    const gateway = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', config], shellEnv({ LOG_FORMAT: 'json' }));
    try {
      await gateway.waitFor(/GraphiQL: /);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.find((line) => typeof line.msg === 'string' && line.msg.includes('shell variable'))).toMatchObject({ level: 40, setting: 'providers[0].auth.apiKey' });
      expect(gateway.output()).not.toContain('DANUBE_API_KEY_UNSET');
      gateway.child.kill('SIGTERM');
      expect((await gateway.exited).code).toBe(0);
    } finally {
      gateway.kill();
    }
  }, 60_000);

  it('exits 2 naming the duplicate when two clients share a name', () => {
    const path = file(
      'clients:\n  - { name: ops, key: "${OPS_KEY}", roles: [admin] }\n  - { name: ops, key: "viewer-key-0123456789", roles: [viewer] }\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.com/", auth: { token: "t" } }\n',
    );
    const result = run(['--check-config', path], { OPS_KEY: 'admin-secret-key-0123456789' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('clients[1].name (the 2nd client): duplicate client name "ops"');
    expect(result.stderr).not.toContain('admin-secret-key-0123456789');
  });

  it('--check-config refuses, as the start does, the variables read beside the file (it said "valid" with PORT=abc), after the file\'s own problems', () => {
    const valid = file('allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "a-token-value" } }\n');
    const wrongEnv = { PORT: 'abc', LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', REDIS_URL: 'http://user:hunter22@redis:6379' };
    const expected = [
      'PORT=abc: must be a whole number from 0 to 65535 (0 = any free port)',
      'LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent',
      'LOG_FORMAT=xml: must be pretty or json',
      'REDIS_URL: must be redis://[user:password@]host[:port][/db] or rediss:// (TLS) with the same parts (its value is not shown: it may hold a password)',
    ];
    const result = run(['--check-config', valid], wrongEnv);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(expected);
    expect(result.stderr).not.toContain('hunter22');

    const broken = file('allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "a-token-value" }, timeoutMS: 5 }\n');
    const both = run(['--check-config', broken], { PORT: '70000' });
    expect(both.status).toBe(2);
    expect(both.stderr.trim().split('\n')).toEqual(['providers[0].timeoutMS (account a): unknown key; did you mean "timeoutMs"?', 'PORT=70000: must be a whole number from 0 to 65535 (0 = any free port)']);
  }, 60_000);

  it('--help names, on its --check-config line, every variable --check-config refuses (it left out DRAIN_TIMEOUT_MS, SHUTDOWN_READYZ_GRACE_MS and REDIS_URL_FILE)', () => {
    const valid = file('allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "a-token-value" } }\n');
    const wrong = { PORT: 'abc', LOG_LEVEL: 'loud', LOG_FORMAT: 'xml', REDIS_URL_FILE: join(temp.make('bg-missing-'), 'redis-url'), DRAIN_TIMEOUT_MS: 'soon', SHUTDOWN_READYZ_GRACE_MS: '-1' };
    const result = run(['--check-config', valid], wrong);
    expect(result.status).toBe(2);
    // Each problem line names its variable first (REDIS_URL_FILE's names the file's variable after "REDIS_URL:").
    const refused = new Set(result.stderr.trim().split('\n').flatMap((line) => [...line.matchAll(/\b([A-Z][A-Z0-9_]*_[A-Z0-9_]*|PORT)\b/g)].map((match) => match[1]!)));
    expect([...refused].sort()).toEqual(Object.keys(wrong).concat('REDIS_URL').sort());
    const help = run(['--help']).stdout;
    const checkLine = /--check-config FILE[\s\S]*?\(0 valid, 2 invalid\)/.exec(help)?.[0] ?? '';
    expect([...refused].filter((name) => !new RegExp(`\\b${name}\\b`).test(checkLine))).toEqual([]);
  }, 60_000);

  it('--check-config reports every problem in one pass: missing variables, misspelled keys, duplicate ids', () => {
    const path = file(
      'allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "${NOT_SET_ONE}" }, timeoutMS: 5000 }\n  - { id: a, kind: onapp, url: "${NOT_SET_TWO}", auth: { username: u, password: p }, colour: blue }\n',
    );
    const result = run(['--check-config', path]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'providers[0].auth.token (the 1st provider): environment variable NOT_SET_ONE is not set: set it, or set NOT_SET_ONE_FILE to a file that holds the value',
      'providers[1].url (the 2nd provider): environment variable NOT_SET_TWO is not set: set it, or set NOT_SET_TWO_FILE to a file that holds the value',
      'providers[0].timeoutMS (the 1st provider): unknown key; did you mean "timeoutMs"?',
      expect.stringMatching(/^providers\[1\]\.colour \(the 2nd provider\): unknown key; allowed here: /),
      'providers[1].id (the 2nd provider): duplicate provider id "a"',
    ]);
  });

  it('an unknown option exits 2 with the usage', () => {
    const result = run(['--frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });
});

describe('the compiled build', () => {
  it('dist/main.js prints the schema.graphql it was built from (--print-schema), which it carries', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/main.js', '--print-schema'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
  }, 120_000);
});

describe('demo mode on a public address', () => {
  it('refuses a non-loopback HOST without --demo-public: exit 2, saying it serves an anonymous admin', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOST: '0.0.0.0', PORT: '0' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('HOST=0.0.0.0: demo mode serves an anonymous admin');
    expect(result.stderr).toContain('--demo-public');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  // A newcomer ran `npm start -- --demo-public` as the README lists it: the demo came up on
  // loopback without a word (and without its loopback-names guard), nothing public.
  const withoutHost = (base: NodeJS.ProcessEnv, env: Record<string, string>): NodeJS.ProcessEnv => {
    if (env.HOST === undefined) delete base.HOST;
    return base;
  };
  it('refuses --demo-public where it would change nothing: a loopback or unset HOST, or a config file', () => {
    ensureBuilt();
    const spawn = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, ['dist/main.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: withoutHost(shellEnv({ PORT: '0', ...env }), env) });
    const unset = spawn(['--demo-public'], {});
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('--demo-public lets demo mode listen on a non-loopback HOST, and HOST is unset (127.0.0.1): set the address with it, e.g. HOST=0.0.0.0 npm start -- --demo-public');
    const loopback = spawn(['--demo-public'], { HOST: '127.0.0.1' });
    expect(loopback.status).toBe(2);
    expect(loopback.stderr).toContain('and HOST is 127.0.0.1: set the address with it');
    const withConfig = spawn(['--config', file('providers: []\n'), '--demo-public'], {});
    expect(withConfig.status).toBe(2);
    expect(withConfig.stderr).toContain('--demo-public is for demo mode (no config)');
  }, 120_000);

  // `--check-config FILE --demo-public` said "FILE: valid" and exited 0, while `--config FILE --demo-public` exits 2.
  it('refuses --demo-public beside --check-config as beside --config: exit 2, nothing said valid', () => {
    const valid = file('allowAnonymous: true\nproviders:\n  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.com/", auth: { token: "${ZOMRO_TOKEN}" } }\n');
    expect(run(['--check-config', valid], { ZOMRO_TOKEN: 'secret-token-value' }).status).toBe(0);
    const result = run(['--check-config', valid, '--demo-public'], { ZOMRO_TOKEN: 'secret-token-value' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--demo-public is for demo mode (no config): --check-config checks a config, whose clients and allowAnonymous say who may call');
    expect(result.stdout).not.toContain('valid');
  }, 120_000);

  // `--simulators --demo-public` started the simulators and `--print-schema --demo-public` printed the schema, the option dropped unsaid.
  it('refuses --demo-public beside --simulators and --print-schema, naming what each does instead', () => {
    expect(() => parseCommand(['--simulators', '--demo-public'], {})).toThrow('--demo-public is for demo mode: --simulators starts the provider simulators alone and prints a config for them (npm start -- --config FILE serves it); leave --demo-public out');
    expect(() => parseCommand(['--demo-public', '--print-schema'], {})).toThrow('--demo-public is for demo mode: --print-schema prints the schema and exits; leave --demo-public out');
    expect(parseCommand(['--simulators'], {})).toEqual({ kind: 'simulators' });
    expect(parseCommand(['--print-schema'], {})).toEqual({ kind: 'print-schema' });
  });

  it('says in one line that its port is in use, and which settings choose another (ws re-threw the listen error with a stack)', async () => {
    ensureBuilt();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      // The port stays bound in the kernel while spawnSync blocks this process.
      const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: String(port) } });
      expect(result.status).toBe(1);
      // Demo mode has no listen.port to change (a second `npm start` read "PORT or listen.port").
      expect(result.stderr.trim()).toBe(`backup-graph failed to start: port ${port} on 127.0.0.1 is in use (another gateway, or the demo?): stop it, or start the demo on another port: PORT=${port + 1} npm start (PORT=0: any free port)`);
      const config = file(`allowAnonymous: true\nlisten: { port: ${port}, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
      const withoutPort = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'PORT'));
      const configured = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: withoutPort });
      expect(configured.status).toBe(1);
      expect(configured.stderr.trim()).toBe(`backup-graph failed to start: port ${port} on 127.0.0.1 is in use (another gateway, or the demo?): stop it, or choose another port (PORT or listen.port)`);
    } finally {
      holder.close();
    }
  }, 120_000);

  it('names Redis, its address and what to do when REDIS_URL points at no Redis; never its password (ioredis said only "Connection is closed.")', async () => {
    ensureBuilt();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', REDIS_URL: `redis://:s3cret-pass@127.0.0.1:${port}/0` } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `backup-graph failed to start: cannot reach Redis at 127.0.0.1:${port} (REDIS_URL): ECONNREFUSED; start it, correct REDIS_URL, or leave REDIS_URL unset to keep the shared state in this process (one replica only: replicas without Redis do not share it)`,
    );
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
  }, 120_000);

  it('names the admin port when that one is in use: PORT does not move it (a second replica on one host kept its 9464)', async () => {
    ensureBuilt();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: ${port}, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    try {
      const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0' } });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`backup-graph failed to start: admin port ${port} on 127.0.0.1 is in use (another gateway's /metrics?): stop it, or choose another admin.port in the config (0: any free port)`);
    } finally {
      holder.close();
    }
  }, 120_000);

  it("names the variable when admin.port is read from one: two replicas share the file (deploy/host.config.yaml's ADMIN_PORT), so the file is not what to change", async () => {
    ensureBuilt();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: "\${ADMIN_PORT}", host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    try {
      const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', ADMIN_PORT: String(port) } });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`backup-graph failed to start: admin port ${port} on 127.0.0.1 is in use (another gateway's /metrics?): stop it, or give this replica another ADMIN_PORT (the config's admin.port reads it; 0: any free port)`);
    } finally {
      holder.close();
    }
  }, 120_000);

  it('refuses the public port as the admin port at start, exit 2 naming both, where it said "in use (another gateway, or the demo?)"', () => {
    ensureBuilt();
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: "\${ADMIN_PORT}", host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '4711', ADMIN_PORT: '4711' } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("admin.port: 4711 is also the public port (PORT): the admin listener (/metrics, the detailed /readyz) needs a port of its own; give ADMIN_PORT another value (the config's admin.port reads it)");
  }, 120_000);

  it('--check-config refuses listen.port written as admin.port, which it called valid', () => {
    ensureBuilt();
    const config = file(`allowAnonymous: true\nlisten: { port: 9464, host: 127.0.0.1 }\nadmin: { port: 9464, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const env = { ...process.env };
    delete env.PORT;
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('admin.port: 9464 is also the public port (listen.port): the admin listener (/metrics, the detailed /readyz) needs a port of its own; choose another admin.port');
  }, 120_000);

  it('refuses a DRAIN_TIMEOUT_MS past the config schema’s limit: exit 2 naming it (it overflowed node’s timer before)', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', DRAIN_TIMEOUT_MS: '3000000000' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DRAIN_TIMEOUT_MS=3000000000: must be a whole number of milliseconds from 0 to 600000');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('refuses a HOST with a port or a scheme: exit 2 naming it, in --check-config too (the start exited 1 with "getaddrinfo ENOTFOUND 0.0.0.0:4000")', () => {
    const valid = file('allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: a, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: "a-token-value" } }\n');
    const checked = run(['--check-config', valid], { HOST: '0.0.0.0:4000' });
    expect(checked.status).toBe(2);
    expect(checked.stderr.trim().split('\n')).toEqual(['HOST=0.0.0.0:4000: must be an address or host name without a port (0.0.0.0; the port goes in PORT)']);
    const started = run(['--config', valid], { HOST: 'http://0.0.0.0' });
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('HOST=http://0.0.0.0: must be an IP address or a host name, without a scheme: 0.0.0.0, not http://0.0.0.0');
    expect(started.stderr).not.toContain('ENOTFOUND');
  }, 60_000);

  it('--check-config and the start quote a bad PORT, LOG_LEVEL, LOG_FORMAT, DRAIN_TIMEOUT_MS or SHUTDOWN_READYZ_GRACE_MS only where it is a number or a word, never a token set there (up to 40 characters of it were quoted)', () => {
    const valid = file('allowAnonymous: true\nproviders:\n  - { id: a, kind: zomro, url: "https://x/", auth: { token: "a-token-value" } }\n');
    const tokens = {
      PORT: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      LOG_LEVEL: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      LOG_FORMAT: 'AKIAIOSFODNN7EXAMPLE',
      DRAIN_TIMEOUT_MS: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJl',
      SHUTDOWN_READYZ_GRACE_MS: 'Zq8sEcReTpAsTe9',
    };
    const refused = run(['--check-config', valid], tokens);
    expect(refused.status).toBe(2);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const [name, token] of Object.entries(tokens)) {
      expect(lines, name).toContainEqual(expect.stringMatching(new RegExp(`^${name} \\(not quoted: ${token.length} characters, not of a number's or a word's form; it may be a secret set in the wrong variable\\): must be`)));
      // Neither whole nor in part: the first 40 characters were quoted.
      expect(refused.stderr, name).not.toContain(token.slice(0, 8));
    }

    const started = run(['--config', valid], { PORT: tokens.PORT });
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('PORT (not quoted: 40 characters');
    expect(started.stderr).not.toContain('ghp_16C7');

    // A number or a word written wrong is still shown: it is what to correct.
    const numbers = run(['--check-config', valid], { PORT: '-1', LOG_LEVEL: 'verbose', LOG_FORMAT: 'text', DRAIN_TIMEOUT_MS: '30s', SHUTDOWN_READYZ_GRACE_MS: '1e3' });
    expect(numbers.stderr.trim().split('\n').sort()).toEqual([
      'DRAIN_TIMEOUT_MS=30s: must be a whole number of milliseconds from 0 to 600000',
      'LOG_FORMAT=text: must be pretty or json',
      'LOG_LEVEL=verbose: must be one of fatal, error, warn, info, debug, trace, silent',
      'PORT=-1: must be a whole number from 0 to 65535 (0 = any free port)',
      'SHUTDOWN_READYZ_GRACE_MS=1e3: must be a whole number of milliseconds from 0 to 600000',
    ]);
    expect(run(['--check-config', valid], { DRAIN_TIMEOUT_MS: '123456789' }).stderr.trim()).toBe('DRAIN_TIMEOUT_MS=123456789: must be a whole number of milliseconds from 0 to 600000');
  }, 60_000);

  it('the demo quotes a DEMO_LATENCY_MS that is a number, never a token set there', () => {
    const demo = run([], { PORT: '0', DEMO_LATENCY_MS: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' });
    expect(demo.status).toBe(2);
    expect(demo.stderr).toContain('DEMO_LATENCY_MS (not quoted: 32 characters');
    expect(demo.stderr).not.toContain('sk_live');
    expect(run([], { PORT: '0', DEMO_LATENCY_MS: '2s' }).stderr).toContain('DEMO_LATENCY_MS=2s: must be a whole number of milliseconds from 0 to 60000');
  }, 60_000);

  it('refuses a PORT or DEMO_LATENCY_MS that is not a number: exit 2 naming it (PORT=abc was ignored under --config, DEMO_LATENCY_MS=abc taken as 0)', () => {
    ensureBuilt();
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const withConfig = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: 'abc' } });
    expect(withConfig.status).toBe(2);
    expect(withConfig.stderr).toContain('PORT=abc: must be a whole number from 0 to 65535');
    const demo = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', DEMO_LATENCY_MS: 'abc' } });
    expect(demo.status).toBe(2);
    expect(demo.stderr).toContain('DEMO_LATENCY_MS=abc: must be a whole number of milliseconds from 0 to 60000');
    expect(demo.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('refuses a REDIS_URL without a host: exit 2 naming it, its password not shown (ioredis took it as localhost and the replica shared nothing with the others)', () => {
    ensureBuilt();
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 15_000, env: { ...process.env, PORT: '0', REDIS_URL: 'redis://:s3cret-pass@' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('REDIS_URL: must be redis://[user:password@]host[:port][/db] or rediss:// (TLS)');
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
  }, 120_000);

  it('refuses a LOG_LEVEL or LOG_FORMAT it does not know: exit 2 naming it and the words it takes (pino\'s "default level:loud must be included in custom levels", exit 1, before)', () => {
    ensureBuilt();
    for (const [name, value, words] of [
      ['LOG_LEVEL', 'loud', 'must be one of fatal, error, warn, info, debug, trace, silent'],
      ['LOG_FORMAT', 'xml', 'must be pretty or json'],
    ] as const) {
      const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', [name]: value } });
      expect(result.status, name).toBe(2);
      expect(result.stderr.trim(), name).toBe(`${name}=${value}: ${words}`);
    }
  }, 120_000);

  it('refuses a SHUTDOWN_READYZ_GRACE_MS as long as the drain: exit 2 (the gateway exited 1 before it stopped listening)', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', DRAIN_TIMEOUT_MS: '3000', SHUTDOWN_READYZ_GRACE_MS: '5000' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('shutdown.readyzGraceMs: 5000 must leave at least 1500 ms of the drain timeout (3000, counted from the signal)');
  }, 120_000);

  it('says what to change when DRAIN_TIMEOUT_MS leaves the file\'s readyz grace no room: the drain timeout came from the variable, not the file', () => {
    ensureBuilt();
    // deploy/host.config.yaml's 3 s grace, and a DRAIN_TIMEOUT_MS an operator lowered in an env file.
    const config = file(`allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nshutdown: { readyzGraceMs: 3000 }\nproviders:\n  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }\n`);
    const result = spawnSync(process.execPath, ['dist/main.js', '--config', config], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', DRAIN_TIMEOUT_MS: '4000' } });
    expect(result.status).toBe(2);
    // It said only "... must leave at least 1500 ms of the drain timeout (4000, ...)": the file has no 4000, and no next step.
    expect(result.stderr.trim()).toBe(
      'shutdown.readyzGraceMs: 3000 must leave at least 1500 ms of the drain timeout (4000, counted from the signal) to close in, or the gateway exits 1 before it has stopped: raise the drain timeout to 4500 or more (shutdown.drainTimeoutMs; DRAIN_TIMEOUT_MS overrides it where set), or lower the grace (SHUTDOWN_READYZ_GRACE_MS overrides it where set)',
    );
  }, 120_000);

  it('parseCommand refuses an option npm kept for itself (npm start --simulators ran the demo; --print-schema served it), naming the fix', () => {
    // What npm 11 sets for an option given before `--`; the script then gets no arguments, or the FILE alone.
    expect(() => parseCommand([], { npm_config_simulators: 'true' })).toThrow(
      "npm took --simulators as its own option (it came before --), so it never reached the gateway: put -- between npm start and the gateway's options, e.g. npm start -- --simulators",
    );
    expect(() => parseCommand([], { npm_config_print_schema: 'true' })).toThrow('e.g. npm start -- --print-schema');
    expect(() => parseCommand([], { npm_config_demo_public: 'true' })).toThrow('e.g. npm start -- --demo-public');
    expect(() => parseCommand(['sims.yaml'], { npm_config_config: 'true' })).toThrow('e.g. npm start -- --config FILE');
    expect(() => parseCommand(['sims.yaml'], { npm_config_check_config: 'true' })).toThrow('e.g. npm start -- --check-config FILE');
    // npm's own options (--silent) are npm's business.
    expect(parseCommand(['--simulators'], { npm_config_silent: 'true' })).toEqual({ kind: 'simulators' });
  });

  it('parseCommand refuses a setting the gateway reads from the environment that npm kept as its own option (npm start --port 4001 said "unexpected argument 4001: ... --config 4001"; --port=4001 started the demo on 4000), naming the variable', () => {
    // `npm start --port 4001`: npm sets npm_config_port=true and hands 4001 to the script as an argument.
    expect(() => parseCommand(['4001'], { npm_config_port: 'true' })).toThrow(
      'npm took --port as its own option (it came before --), so it never reached the gateway, which reads it from the environment, as PORT, not as an option: PORT=4001 npm start',
    );
    // `npm start --log-level=debug -- --config sims.yaml`: the value is npm's, the other options kept.
    expect(() => parseCommand(['--config', 'sims.yaml'], { npm_config_log_level: 'debug' })).toThrow('as LOG_LEVEL, not as an option: LOG_LEVEL=debug npm start -- --config sims.yaml');
    // Two written with a space: their values passed on as arguments, whose is whose untold.
    expect(() => parseCommand(['4001', '0.0.0.0'], { npm_config_port: 'true', npm_config_host: 'true' })).toThrow('PORT=<value> HOST=<value> npm start');
    expect(() => parseCommand([], { npm_config_redis_url: 'redis://:hunter2-secret@10.0.0.5:6379/0' })).toThrow('REDIS_URL=<value> npm start');
    // npm's own loglevel (an .npmrc may set it) is npm's business.
    expect(parseCommand([], { npm_config_loglevel: 'warn' })).toEqual({ kind: 'serve', configFile: null, demoPublic: false });
  });

  it('parseCommand refuses to start the demo when BACKUP_GRAPH_CONFIG is misspelt (a deployment would run simulated providers instead of its config)', () => {
    for (const name of ['BACKUP_GRAPH_CONFG', 'BACKUPGRAPH_CONFIG', 'backup_graph_config', 'BACKUP_GRAPH_CONF']) {
      expect(() => parseCommand([], { [name]: '/etc/backup-graph.yaml' }), name).toThrow(
        `${name} is set, but the gateway reads BACKUP_GRAPH_CONFIG: rename it (or unset it for demo mode); not starting the demo in place of your config`,
      );
    }
    // Not when the real one (or --config) names the file, nor for other variables, the example client's key among them.
    expect(parseCommand([], { BACKUP_GRAPH_CONFIG: 'a.yaml', BACKUP_GRAPH_CONFG: 'b.yaml' })).toEqual({ kind: 'serve', configFile: 'a.yaml', demoPublic: false, configFromEnv: 'BACKUP_GRAPH_CONFIG' });
    expect(parseCommand(['--config', 'a.yaml'], { BACKUP_GRAPH_CONFG: 'b.yaml' })).toEqual({ kind: 'serve', configFile: 'a.yaml', demoPublic: false });
    expect(parseCommand([], { BACKUP_GRAPH_KEY: 'k', BACKUP_GRAPH_CONFIGS_DIR: '/x/y/z', PATH: '/usr/bin' })).toEqual({ kind: 'serve', configFile: null, demoPublic: false });
    // Set but empty: nothing meant.
    expect(parseCommand([], { BACKUP_GRAPH_CONFG: '' })).toEqual({ kind: 'serve', configFile: null, demoPublic: false });
  });

  it('--check-config and the start refuse a misspelt REDIS_URL, DRAIN_TIMEOUT_MS or SHUTDOWN_READYZ_GRACE_MS (exit 2): two replicas ran on without sharing state, or drained shorter than meant, without a word', () => {
    const path = file('allowAnonymous: true\nlisten: { port: 0, host: 127.0.0.1 }\nadmin: { port: 0, host: 127.0.0.1 }\nproviders:\n  - { id: a, kind: zomro, url: "http://127.0.0.1:9/", timezone: UTC, auth: { token: "a-zomro-token" } }\n');
    // The right ones emptied: a REDIS_URL in the environment the tests run in must not hide the refusal.
    const misspelt = { REDIS_URL: '', DRAIN_TIMEOUT_MS: '', SHUTDOWN_READYZ_GRACE_MS: '', REDIS_URI: 'redis://127.0.0.1:6379/0', DRAIN_TIMEOUT: '30000', shutdown_readyz_grace_ms: '3000' };
    for (const args of [['--check-config', path], ['--config', path]]) {
      const result = run(args, misspelt);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain('REDIS_URI is set, but the gateway reads REDIS_URL or REDIS_URL_FILE: rename it, or unset it to keep the shared state in this process');
      expect(result.stderr).toContain("DRAIN_TIMEOUT is set, but the gateway reads DRAIN_TIMEOUT_MS: rename it, or unset it to keep the config's shutdown.drainTimeoutMs");
      expect(result.stderr).toContain("shutdown_readyz_grace_ms is set, but the gateway reads SHUTDOWN_READYZ_GRACE_MS: rename it, or unset it to keep the config's shutdown.readyzGraceMs");
      // Named, never quoted: a Redis URL may hold a password.
      expect(result.stderr).not.toContain('redis://');
    }
    // Not beside the right one, nor for variables merely alike (Kubernetes' REDIS_PORT of a Service named redis, REDIS_HOST), nor when empty.
    const fine = run(['--check-config', path], { REDIS_URL: '', REDIS_PORT: 'tcp://10.0.0.9:6379', REDIS_HOST: '10.0.0.9', REDIS_URI: '', DRAIN_TIMEOUT_MS: '30000', DRAIN_TIMEOUT: '30' });
    expect(fine.stderr).toBe('');
    expect(fine.status).toBe(0);
  }, 60_000);

  it('names BACKUP_GRAPH_CONFIG when the file it names cannot be read: exit 2 (the message named only the path, read as a --config gone wrong)', () => {
    ensureBuilt();
    const missing = join(temp.make('bg-config-'), 'not-mounted.yaml');
    const result = spawnSync(process.execPath, ['dist/main.js'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', BACKUP_GRAPH_CONFIG: missing } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`${missing} (BACKUP_GRAPH_CONFIG): cannot read it: no such file`);
    // --config names its file on the command line itself: the message stays as it was.
    const named = spawnSync(process.execPath, ['dist/main.js', '--config', missing], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT: '0', BACKUP_GRAPH_CONFIG: '' } });
    expect(named.status).toBe(2);
    expect(named.stderr.trim()).toBe(`${missing}: cannot read it: no such file`);
    // --config wins over the variable, and then the variable is not named.
    expect(parseCommand(['--config', 'a.yaml'], { BACKUP_GRAPH_CONFIG: 'b.yaml' })).toEqual({ kind: 'serve', configFile: 'a.yaml', demoPublic: false });
  }, 120_000);

  it('a config file the gateway may not read says "permission denied", the path first: run as an unprivileged user where the tests run as root (root reads a chmod 000 file)', () => {
    ensureBuilt();
    const dir = temp.make('bg-config-');
    // Others may enter the directory (mkdtemp makes it 0700) but not read the file.
    chmodSync(dir, 0o755);
    const locked = join(dir, 'locked.yaml');
    writeFileSync(locked, 'providers: []\n');
    chmodSync(locked, 0o000);
    // 65534 is nobody: root would read the file whatever its mode, so the child runs without root's override.
    const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, ['dist/main.js', '--check-config', locked], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '' }, ...unprivileged });
    expect(result.error).toBeUndefined();
    expect(result.stderr.trim()).toBe(`${locked}: cannot read it: permission denied`);
    expect(result.status).toBe(2);
  }, 120_000);

  it('a relative config path that is not found says where it was looked for, and that npm ran the gateway elsewhere (the README\'s sims.yaml written in a subdirectory read "no such file" alone)', () => {
    ensureBuilt();
    const elsewhere = temp.make('bg-config-');
    // Not sims.yaml itself: the README has a newcomer write that one in the root, where it would be found.
    const name = `sims-${basename(elsewhere)}.yaml`;
    writeFileSync(join(elsewhere, name), 'providers: []\n');
    const root = ROOT.replace(/\/$/, '');
    // What npm sets when `npm start` runs from another directory: INIT_CWD is where npm was started, the script runs in the package root.
    const underNpm = spawnSync(process.execPath, ['dist/main.js', '--check-config', name], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, INIT_CWD: elsewhere } });
    expect(underNpm.status).toBe(2);
    expect(underNpm.stderr.trim()).toBe(
      `${name} (read from ${root}): cannot read it: no such file; npm runs the gateway in ${root}, not in ${elsewhere} where npm was started: give the path from ${root}, or an absolute one`,
    );
    // Started from the package root (or without npm): where it was read, nothing about npm.
    const here = spawnSync(process.execPath, ['dist/main.js', '--check-config', name], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, INIT_CWD: root } });
    expect(here.stderr.trim()).toBe(`${name} (read from ${root}): cannot read it: no such file; to write one, start from a copy of backup-graph.example.yaml (in ${root}), which lists every key with its default`);
  }, 120_000);

  it('parseCommand names the option a misspelt one meant, and the option a bare file needs (node said only "Unknown option" / "does not take positional arguments")', () => {
    expect(() => parseCommand(['--check-confg', 'a.yaml'], {})).toThrow('unknown option --check-confg: did you mean --check-config?');
    expect(() => parseCommand(['--simulator'], {})).toThrow('unknown option --simulator: did you mean --simulators?');
    expect(() => parseCommand(['--conf=a.yaml'], {})).toThrow('unknown option --conf: did you mean --config?');
    expect(() => parseCommand(['a.yaml'], {})).toThrow('unexpected argument a.yaml: a config file is named by an option, e.g. npm start -- --config a.yaml (or --check-config a.yaml)');
    // An option's file left out (node: "Option '--config <value>' argument missing").
    expect(() => parseCommand(['--config'], {})).toThrow('--config needs a file after it, e.g. npm start -- --config backup-graph.yaml (was it given as a shell variable that is not set?)');
    expect(() => parseCommand(['--check-config'], {})).toThrow('--check-config needs a file after it, e.g. npm start -- --check-config backup-graph.yaml');
    // Nothing close: the options listed, in the same words as a near miss (node said "Unknown option '--frobnicate'"); the usage follows (main.ts).
    expect(() => parseCommand(['--frobnicate'], {})).toThrow(`unknown option --frobnicate: the gateway's options are ${OPTION_LIST}`);
  });

  it('parseCommand says where a node option given after -- goes: NODE_OPTIONS, or node itself for the inspector (it listed the gateway\'s options, and NODE_OPTIONS=--inspect opens the port in npm\'s own node)', () => {
    expect(() => parseCommand(['--max-old-space-size=512', '--config', 'a.yaml'], {})).toThrow(
      "unknown option --max-old-space-size: that is node's option, not the gateway's; give it to node in NODE_OPTIONS, e.g. NODE_OPTIONS=--max-old-space-size=512 npm start -- --config FILE",
    );
    expect(() => parseCommand(['--trace-warnings'], {})).toThrow("unknown option --trace-warnings: that is node's option, not the gateway's; give it to node in NODE_OPTIONS, e.g. NODE_OPTIONS=--trace-warnings npm start -- --config FILE");
    expect(() => parseCommand(['--inspect-brk=0.0.0.0:9229'], {})).toThrow(
      "unknown option --inspect-brk: that is node's option, not the gateway's; run node with it on the build npm start made, e.g. node --inspect-brk=0.0.0.0:9229 dist/main.js --config FILE (in NODE_OPTIONS, npm's own node would take the inspector's port first)",
    );
    // A value that is no flag's is left out of the command shown.
    expect(() => parseCommand(['--max-old-space-size=sk_live 51HqLy'], {})).toThrow('e.g. NODE_OPTIONS=--max-old-space-size npm start');
  });

  it('parseCommand says a setting the gateway reads from the environment, given as an option (--port 4001, --log-level debug), goes in its variable, with the command to type (it listed the gateway\'s options, and a newcomer tried --loglevel next)', () => {
    expect(() => parseCommand(['--log-level', 'debug', '--config', 'sims.yaml'], {})).toThrow(
      'unknown option --log-level: the gateway reads it from the environment, as LOG_LEVEL, not as an option: LOG_LEVEL=debug npm start -- --config sims.yaml',
    );
    // Several at once, written with = or not, in any case and punctuation; demo mode (no other option) runs as plain npm start.
    expect(() => parseCommand(['--port=4001', '--HOST', '0.0.0.0', '--loglevel=warn'], {})).toThrow(
      'unknown option --port: the gateway reads it from the environment, as PORT, not as an option: PORT=4001 HOST=0.0.0.0 LOG_LEVEL=warn npm start',
    );
    expect(() => parseCommand(['--config', 'a.yaml', '--drain-timeout-ms', '20000', '--log_format', 'json'], {})).toThrow(
      'unknown option --drain-timeout-ms: the gateway reads it from the environment, as DRAIN_TIMEOUT_MS, not as an option: DRAIN_TIMEOUT_MS=20000 LOG_FORMAT=json npm start -- --config a.yaml',
    );
    // A value that may hold a password (REDIS_URL), or no plain word, is never repeated: its place is shown.
    const redis = () => parseCommand(['--redis-url', 'redis://:hunter2-secret@10.0.0.5:6379/0', '--config', 'a.yaml'], {});
    expect(redis).toThrow('unknown option --redis-url: the gateway reads it from the environment, as REDIS_URL, not as an option: REDIS_URL=<value> npm start -- --config a.yaml');
    // A REDIS_URL written as a plain word (a password pasted in its place) is no more shown than a url.
    expect(() => parseCommand(['--redis-url', 'correcthorsebattery'], {})).toThrow('REDIS_URL=<value> npm start');
    expect(() => parseCommand(['--port'], {})).toThrow('as PORT, not as an option: PORT=<value> npm start');
    expect(() => parseCommand(['--log-level', 'sk_live 51HqLy'], {})).toThrow('LOG_LEVEL=<value> npm start');
    // What no variable is named by still lists the options.
    expect(() => parseCommand(['--verbose'], {})).toThrow(`unknown option --verbose: the gateway's options are ${OPTION_LIST}`);
  });

  it('parseCommand, saying a setting goes in its variable, repeats the other arguments only as option names and config files: a value given to another option (it may be a secret) is shown as <value>', () => {
    expect(() => parseCommand(['--log-level', 'debug', '--redis-password', 'hunter2-secret', '--config', 'a.yaml'], {})).toThrow(
      'as LOG_LEVEL, not as an option: LOG_LEVEL=debug npm start -- --redis-password <value> --config a.yaml',
    );
    expect(() => parseCommand(['--port', '4001', '--reddis-url=redis://:hunter2-secret@10.0.0.5/0', '--check-config=b.yaml'], {})).toThrow(
      'as PORT, not as an option: PORT=4001 npm start -- --reddis-url=<value> --check-config=b.yaml',
    );
    // Before --, npm kept it: the arguments after -- are shown the same way.
    expect(() => parseCommand(['--api-token', 'sk_live 51HqLy'], { npm_config_log_level: 'debug' })).toThrow('LOG_LEVEL=debug npm start -- --api-token <value>');
  });

  it('parseCommand names an option written with one dash as the user wrote it, and says the options take two (node named a letter of it: -help read "Unknown option \'-e\'")', () => {
    expect(() => parseCommand(['-help'], {})).toThrow('unknown option -help: the gateway\'s options take two dashes: --help');
    expect(() => parseCommand(['-config', 'a.yaml'], {})).toThrow('unknown option -config: the gateway\'s options take two dashes: --config');
    expect(() => parseCommand(['-check-confg', 'a.yaml'], {})).toThrow('unknown option -check-confg: the gateway\'s options take two dashes: --check-config');
    // A letter of its own (-c, -v): no short form but -h; the long ones listed.
    expect(() => parseCommand(['-c', 'a.yaml'], {})).toThrow(`unknown option -c: the gateway's options are ${OPTION_LIST}`);
    expect(() => parseCommand(['--version'], {})).toThrow(`unknown option --version: the gateway's options are ${OPTION_LIST}`);
    expect(parseCommand(['-h'], {})).toEqual({ kind: 'help' });
  });

  it('parseCommand refuses --config beside --check-config naming other files, saying which does what (it checked the second and said nothing of the first)', () => {
    for (const argv of [['--config', 'a.yaml', '--check-config', 'b.yaml'], ['--check-config', 'b.yaml', '--config', 'a.yaml']]) {
      expect(() => parseCommand(argv, {}), argv.join(' ')).toThrow(
        '--config a.yaml and --check-config b.yaml name two files, and one command runs: to check a file, npm start -- --check-config FILE (exit 0 valid, 2 invalid); to serve one, npm start -- --config FILE',
      );
    }
    // One file named twice is checked: nothing is left unsaid.
    expect(parseCommand(['--config', 'a.yaml', '--check-config', 'a.yaml'], {})).toEqual({ kind: 'check-config', file: 'a.yaml' });
    // BACKUP_GRAPH_CONFIG beside --check-config is a deployment's environment, not a second file asked for.
    expect(parseCommand(['--check-config', 'b.yaml'], { BACKUP_GRAPH_CONFIG: 'a.yaml' })).toEqual({ kind: 'check-config', file: 'b.yaml' });
  });

  it('parseCommand says an argument after an option that takes none is stray (--print-schema extra suggested --config extra)', () => {
    expect(() => parseCommand(['--print-schema', 'extra'], {})).toThrow('unexpected argument extra: --print-schema takes none, e.g. npm start -- --print-schema');
    expect(() => parseCommand(['--simulators', 'sims.yaml'], {})).toThrow('unexpected argument sims.yaml: --simulators takes none, e.g. npm start -- --simulators');
    expect(() => parseCommand(['--config', 'a.yaml', '--demo-public', 'b'], {})).toThrow('unexpected argument b: --demo-public takes none');
    expect(() => parseCommand(['--print-schema=extra'], {})).toThrow('--print-schema takes no value (it was given =extra), e.g. npm start -- --print-schema');
    // A bare file first, or after an option's own file, is still read as a config file left unnamed.
    expect(() => parseCommand(['--config', 'a.yaml', 'b.yaml'], {})).toThrow('unexpected argument b.yaml: a config file is named by an option, e.g. npm start -- --config b.yaml');
  });

  it('parseCommand accepts --demo-public (off by default)', () => {
    expect(parseCommand(['--demo-public'], {})).toEqual({ kind: 'serve', configFile: null, demoPublic: true });
    expect(parseCommand([], {})).toEqual({ kind: 'serve', configFile: null, demoPublic: false });
  });

  it('parseCommand refuses --demo-public beside --check-config, in either order', () => {
    for (const argv of [['--check-config', 'a.yaml', '--demo-public'], ['--demo-public', '--check-config', 'a.yaml']]) {
      expect(() => parseCommand(argv, {}), argv.join(' ')).toThrow('--demo-public is for demo mode (no config): --check-config checks a config');
    }
    expect(parseCommand(['--check-config', 'a.yaml'], {})).toEqual({ kind: 'check-config', file: 'a.yaml' });
  });

  it('counts 127.0.0.0/8, ::1 and localhost as loopback, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '']) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('what each command loads', () => {
  it('--help, --print-schema and --check-config load no server code (main.ts imports the server only to serve)', () => {
    const { files, packages } = staticImportGraph(ROOT, ['src/main.ts']);
    expect([...files].sort()).toEqual(['src/cli.ts', 'src/config/config-error.ts', 'src/config/did-you-mean.ts', 'src/config/env-value-shown.ts', 'src/config/usable-id.ts', 'src/env-option-given.ts', 'src/graphql/schema-file.ts', 'src/main.ts', 'src/node-option-given.ts', 'src/npm-swallowed-options.ts', 'src/start-refusal.ts', 'src/start-signals.ts', 'src/v8-settings.ts']);
    expect([...packages].filter((name) => !name.startsWith('node:'))).toEqual([]);
  });

  it('config mode (production) loads no simulator and no GraphiQL renderer', () => {
    // main.ts, then the server it imports for `serve`.
    const { files, packages } = staticImportGraph(ROOT, ['src/main.ts', 'src/server/serve.ts']);
    expect(files).toContain('src/server/app.ts');
    expect(files).toContain('src/providers/zomro/adapter.ts');
    expect([...files].filter((file) => /simulator|server\/demo\.ts/.test(file))).toEqual([]);
    expect(packages).not.toContain('@graphql-yoga/render-graphiql');
  });

  it('the bundle serving a config loads no simulator, GraphiQL renderer, ioredis or rate-limiter-flexible (dist/meta.json)', () => {
    ensureBuilt();
    const { chunks, inputs } = bundleServeInputs(join(ROOT, 'dist', 'meta.json'));
    expect(chunks).toContain('dist/main.js');
    expect(inputs).toContain('src/server/app.ts');
    expect(inputs).toContain('src/providers/zomro/adapter.ts');
    expect([...inputs].filter((input) => /simulator|server\/demo\.ts|render-graphiql|\/ioredis\/|\/rate-limiter-flexible\//.test(input))).toEqual([]);
    // Each is still there, in a chunk of its own for when it is needed.
    const all = readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8');
    for (const lazy of ['src/providers/zomro/simulator.ts', 'node_modules/ioredis/', 'node_modules/rate-limiter-flexible/']) expect(all).toContain(lazy);
  }, 120_000);

  it('the bundle holds a stub for fast-json-stringify, which graphql-jit loads for an option the gateway never sets (dist/meta.json)', () => {
    ensureBuilt();
    // Loading it ran ajv, ajv-formats and fast-uri at start: ~1.3 MiB of heap and 0.4 MB of source no request used.
    const inputs = Object.keys((JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    expect(inputs.filter((input) => /\/(fast-json-stringify|ajv|ajv-formats|fast-uri)\//.test(input))).toEqual([]);
    expect(inputs).toContain('scripts/bundle-stubs/fast-json-stringify.cjs');
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(sources.filter((name) => readFileSync(join(ROOT, 'src', name), 'utf8').includes('customJSONSerializer'))).toEqual([]);
  }, 120_000);

  it('the bundle hashes with node:crypto where Apollo would pick sha.js, SHA-256 in JavaScript (dist/meta.json)', () => {
    ensureBuilt();
    // @apollo/utils.createhash takes node:crypto only through `module.require`, which a bundled
    // CommonJS module lacks: every request's query text was hashed in JavaScript.
    const inputs = Object.keys((JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    expect(inputs.filter((input) => /\/(sha\.js|@apollo\/utils\.createhash)\//.test(input))).toEqual([]);
    expect(inputs).toContain('scripts/bundle-stubs/apollo-createhash.cjs');
  }, 120_000);

  it('the bundle wraps graphql\'s CommonJS exports once, not once per ES module that imports graphql (scripts/graphql-once.mjs)', () => {
    ensureBuilt();
    // Each wrapper is an object of ~240 getters kept for the process's life: 77 of them held ~3 MiB of heap.
    const chunks = readdirSync(join(ROOT, 'dist', 'chunks')).filter((name) => name.endsWith('.js'));
    const wrappers = chunks.map((name) => readFileSync(join(ROOT, 'dist', 'chunks', name), 'utf8').match(/__toESM\(require_graphql\d*\(\)/g)?.length ?? 0);
    expect(wrappers.reduce((sum, count) => sum + count, 0)).toBe(1);
  }, 120_000);

  it('demo mode reaches every simulator, through its dynamic imports', () => {
    const demo = readFileSync(new URL('../../src/server/serve.ts', import.meta.url), 'utf8');
    expect(demo).toContain("await import('./demo.js')");
    for (const kind of PROVIDER_KINDS) {
      expect(readFileSync(new URL(`../../src/providers/${kind}/index.ts`, import.meta.url), 'utf8')).toContain("await import('./simulator.js')");
    }
  });

  it('DRAIN_TIMEOUT_MS and SHUTDOWN_READYZ_GRACE_MS beat the config within its limits; a repeat signal counts as an echo only under npm start', () => {
    expect(drainTimeoutMs(10_000, {})).toBe(10_000);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '2500' })).toBe(2_500);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '' })).toBe(10_000);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '0' })).toBe(0);
    expect(drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: '600000' })).toBe(600_000);
    // Ignored before; past 2^31 ms node's timer fired at once and exited 1 at the first SIGTERM.
    for (const value of ['soon', '600001', '3000000000', '-5', '2.5']) {
      expect(() => drainTimeoutMs(10_000, { DRAIN_TIMEOUT_MS: value })).toThrow(`DRAIN_TIMEOUT_MS=${value}: must be a whole number of milliseconds from 0 to 600000`);
    }
    expect(readyzGraceMs(0, { SHUTDOWN_READYZ_GRACE_MS: '3000' })).toBe(3_000);
    expect(() => readyzGraceMs(0, { SHUTDOWN_READYZ_GRACE_MS: '1e3' })).toThrow('SHUTDOWN_READYZ_GRACE_MS=1e3: must be');
    expect(echoMs({ npm_lifecycle_event: 'start' })).toBeGreaterThan(0);
    expect(echoMs({ npm_lifecycle_event: 'test' })).toBe(0);
  });
});
