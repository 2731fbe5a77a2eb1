import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { envHost } from '../../src/config/listen-host.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A token or password pasted in the wrong place of the config: each problem names the key path
 * and what is expected, never the text (problems go to a terminal, a CI log, a pod's events).
 * Ids and plain words are still quoted, so a typo is still shown.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const ACCOUNT = '  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-xyz" } }';
const CLIENT = '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }';
const BASE = `providers:\n${ACCOUNT}\nclients:\n${CLIENT}\n`;

const file = (text: string): string => {
  const path = join(temp.make('bg-config-secret-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    loadConfigFile(file(text), env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('a secret pasted where the config takes none is not quoted', () => {
  it('a token on a line of its own (a key with no value) outside a provider block: at top level and in each section', () => {
    const cases: Array<[string, string]> = [
      [`${SECRET}:\n${BASE}`, '(root): an unknown key, not quoted'],
      [`listen:\n  ${SECRET}:\n${BASE}`, 'listen: an unknown key, not quoted'],
      [`admin:\n  ${SECRET}:\n${BASE}`, 'admin: an unknown key, not quoted'],
      [`limits:\n  ${SECRET}:\n${BASE}`, 'limits: an unknown key, not quoted'],
      [`limits:\n  ${SECRET}: 3\n${BASE}`, 'limits: an unknown key, not quoted'],
      [`protection:\n  ${SECRET}:\n${BASE}`, 'protection: an unknown key, not quoted'],
      [`shutdown:\n  ${SECRET}:\n${BASE}`, 'shutdown: an unknown key, not quoted'],
      [`limits:\n  rateLimit: { requestsPerSecond: 1, burst: 1, ${SECRET}: 1 }\n${BASE}`, 'limits.rateLimit: an unknown key, not quoted'],
    ];
    for (const [text, start] of cases) {
      const problems = problemsOf(text);
      expect(problems, text).toEqual([expect.stringContaining(start)]);
      expect(problems[0], text).toContain('allowed here:');
      expect(problems.join('\n')).not.toContain(SECRET);
    }
  });

  it('a misspelt key is still quoted, with the key it meant', () => {
    expect(problemsOf(`limits:\n  maxDeph: 3\n${BASE}`)).toEqual(['limits.maxDeph: unknown key; did you mean "maxDepth"?']);
    expect(problemsOf(`limits:\n  max_depth: 3\n${BASE}`)).toEqual(['limits.max_depth: unknown key; did you mean "maxDepth"?']);
    expect(problemsOf(`verbose: true\n${BASE}`)).toEqual([expect.stringMatching(/^verbose: unknown key; allowed here: listen, /)]);
    // A setting written in the wrong section (an indent lost): its name is no secret.
    expect(problemsOf(`limits:\n  backupGiveUpMs: 3600000\n${BASE}`)).toEqual([expect.stringMatching(/^limits\.backupGiveUpMs: unknown key here; backupGiveUpMs is a setting of providers\[N\]: move it there if it is that; allowed here: maxDepth, /)]);
    expect(problemsOf(`shutdown:\n  restoreGiveUpMs: 3600000\n${BASE}`)).toEqual(['shutdown.restoreGiveUpMs: unknown key here; restoreGiveUpMs is a setting of providers[N]: move it there if it is that; allowed here: drainTimeoutMs, readyzGraceMs']);
  });

  it('a client name that is a key, in the duplicate-name problem and as the client\'s label', () => {
    const problems = problemsOf(
      `providers:\n${ACCOUNT}\nclients:\n  - { name: "${SECRET}", key: "0123456789abcdef0123", roles: [admin] }\n  - { name: "${SECRET}", key: "0123456789abcdef0124", roles: [admin, root] }\n`,
    );
    expect(problems).toEqual([
      'clients[1].roles[1] (the 2nd client): must be one of viewer, operator, admin',
      'clients[1].name (the 2nd client): duplicate client name (not quoted: not a plain word, it may be a key put in the wrong place): each client needs its own',
    ]);
    const alone = problemsOf(`providers:\n${ACCOUNT}\nclients:\n  - { name: "${SECRET}", key: "0123456789abcdef0123", roles: [root] }\n`);
    expect(alone).toEqual(['clients[0].roles[0] (the 1st client): must be one of viewer, operator, admin']);
  });

  it('a token in trustedProxies; an address-like entry is still quoted', () => {
    const problems = problemsOf(`listen:\n  trustedProxies: ["${SECRET}", "10.0.0.0/33"]\n${BASE}`);
    expect(problems).toEqual([
      'listen.trustedProxies[0]: not an address, a CIDR range or loopback/linklocal/uniquelocal (the entry is not quoted: it may be a secret put in the wrong place)',
      expect.stringMatching(/^listen\.trustedProxies\[1\]: not an address, .*10\.0\.0\.0\/33/),
    ]);
  });

  it('a listen host with user:password@, or a token before a port; HOST alike', () => {
    expect(problemsOf(`listen:\n  host: "http://admin:${SECRET}@0.0.0.0"\n${BASE}`)).toEqual([
      'listen.host: must be an IP address or a host name, without a scheme or user:password@ (not quoted: it may hold a password)',
    ]);
    expect(problemsOf(`admin:\n  host: "${SECRET}:9464"\n${BASE}`)).toEqual([
      "admin.host: must be an address or host name without a port (the port goes in admin.port; what is written is not quoted: it is not of a host name's form and may be a secret)",
    ]);
    expect(() => envHost({ HOST: `http://admin:${SECRET}@0.0.0.0` })).toThrow(ConfigError);
    try {
      envHost({ HOST: `http://admin:${SECRET}@0.0.0.0` });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['HOST: must be an IP address or a host name, without a scheme or user:password@ (not quoted: it may hold a password)']);
    }
  });

  it('a token written between ${ and } whose variable is not set; a variable name is still named', () => {
    const problems = problemsOf(`providers:\n${ACCOUNT}\nclients:\n  - { name: ops, key: "\${${SECRET}}", roles: [admin] }\n`);
    expect(problems).toEqual([expect.stringMatching(/^clients\[0\]\.key \(client ops\): the environment variable its \$\{\.\.\.\} names is not set \(the name is not quoted/)]);
    expect(problems.join('\n')).not.toContain(SECRET);
    expect(problemsOf(`providers:\n${ACCOUNT}\nclients:\n  - { name: ops, key: "\${OPS_KEY}", roles: [admin] }\n`)).toEqual(['clients[0].key (client ops): environment variable OPS_KEY is not set: set it, or set OPS_KEY_FILE to a file that holds the value']);
  });

  it('a key that holds a kind\'s word in a provider entry without kind is named only where it has a key\'s form', () => {
    const problems = problemsOf(`providers:\n  - { id: a, ${SECRET}: zstack, url: "https://a.example/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`);
    expect(problems).toEqual(['providers[0].kind (account a): required: one of zomro, onapp, zstack, danube']);
    expect(problemsOf(`providers:\n  - { id: a, type: zstack, url: "https://a.example/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`)).toEqual([
      'providers[0].kind (account a): required: one of zomro, onapp, zstack, danube (is "type" meant as kind?)',
    ]);
  });

  it('a password that begins with YAML syntax (*, !, |) written without quotes: refused, saying to quote it, without quoting it', () => {
    for (const start of ['*', '!', '!!', '|']) {
      const text = `providers:\n  - id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth:\n      token: ${start}${SECRET}\nclients:\n${CLIENT}\n`;
      const problems = problemsOf(text);
      expect(problems, start).toEqual([expect.stringContaining('not valid YAML')]);
      expect(problems.join('\n'), start).not.toContain(SECRET.slice(8));
      if (start !== '|') expect(problems[0], start).toContain('write it in quotes');
    }
  });

  it('a password of plain word form after * (an alias YAML cannot resolve): the name after * is not quoted either', () => {
    // The * was left out of YAML's words, and `Summer2024` or `correcthorse` is a plain word.
    for (const password of ['Summer2024', 'correcthorse', 'correct-horse-battery-staple']) {
      const text = `providers:\n  - id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth:\n      token: *${password}\nclients:\n${CLIENT}\n`;
      const problems = problemsOf(text);
      expect(problems, password).toEqual([expect.stringContaining('write it in quotes')]);
      expect(problems.join('\n'), password).not.toContain(password);
    }
  });

  it('a password of plain word form between ${ and } where a secret goes: named only with a variable\'s form (UPPER_CASE); elsewhere a lowercase name still is', () => {
    for (const password of ['qwxzkjvbnmtrplsdfghy', 'correct_horse_battery', 'hunter2']) {
      const problems = problemsOf(`providers:\n${ACCOUNT.replace('"zomro-secret-token-xyz"', `"\${${password}}"`)}\nclients:\n${CLIENT}\n`);
      expect(problems, password).toEqual([expect.stringMatching(/^providers\[0\]\.auth\.token \(account zomro-nl\): the environment variable its \$\{\.\.\.\} names is not set \(the name is not quoted/)]);
      expect(problems.join('\n'), password).not.toContain(password);
    }
    expect(problemsOf(`providers:\n${ACCOUNT.replace('"zomro-secret-token-xyz"', '"${ZOMRO_TOKEN}"')}\nclients:\n${CLIENT}\n`)).toEqual([
      'providers[0].auth.token (account zomro-nl): environment variable ZOMRO_TOKEN is not set: set it, or set ZOMRO_TOKEN_FILE to a file that holds the value',
    ]);
    expect(problemsOf(`providers:\n${ACCOUNT.replace('"https://api.zomro.example/"', '"${zomro_url}"')}\nclients:\n${CLIENT}\n`)).toEqual([
      'providers[0].url (account zomro-nl): environment variable zomro_url is not set: set it, or set zomro_url_FILE to a file that holds the value',
    ]);
  });

  it('a HOST or host of user:password form without an @ (no port after the colon): not quoted; host:port still is', () => {
    for (const written of ['ops:correcthorse', 'http://ops:correcthorse', 'ops:hunter2/x']) {
      let problems: string[] = [];
      try {
        envHost({ HOST: written });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(problems, written).toEqual([expect.stringMatching(/^HOST: must be/)]);
      expect(problems.join('\n'), written).not.toMatch(/correcthorse|hunter2/);
      const inFile = problemsOf(`listen:\n  host: "${written}"\n${BASE}`);
      expect(inFile, written).toEqual([expect.stringMatching(/^listen\.host: must be/)]);
      expect(inFile.join('\n'), written).not.toMatch(/correcthorse|hunter2/);
    }
    expect(() => envHost({ HOST: 'gateway.example.com:4000' })).toThrow('HOST=gateway.example.com:4000: must be an address or host name without a port (gateway.example.com; the port goes in PORT)');
    expect(() => envHost({ HOST: 'http://gateway.example.com:4000/' })).toThrow('HOST=http://gateway.example.com:4000/: must be an IP address or a host name, without a scheme: gateway.example.com, not http://gateway.example.com:4000/');
  });

  it('guards: a url with user:password@, a kind, a role, a log level, a time zone and a number are refused without quoting what is written', () => {
    const texts = [
      `providers:\n  - { id: a, kind: zomro, url: "https://user:${SECRET}@api.example/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`,
      `providers:\n  - { id: a, kind: zomro, url: "user:${SECRET}@api.example/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`,
      `providers:\n  - { id: a, kind: zomro, url: "https://user:${SECRET}@api.example:99999/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`,
      `providers:\n  - { id: a, kind: "${SECRET}", url: "https://api.example/", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`,
      `providers:\n  - { id: a, kind: zomro, url: "https://api.example/", timezone: "${SECRET}", timeoutMs: "${SECRET}", auth: { token: "zomro-secret-token-xyz" } }\nclients:\n${CLIENT}\n`,
      `logLevel: "${SECRET}"\nanonymousRole: "${SECRET}"\nallowAnonymous: "${SECRET}"\n${BASE}`,
      `providers:\n${ACCOUNT}\nclients:\n  - { name: ops, key: "0123456789abcdef0123", roles: ["${SECRET}"], providers: ["${SECRET}"] }\n`,
    ];
    for (const text of texts) {
      const problems = problemsOf(text);
      expect(problems.length, text).toBeGreaterThan(0);
      expect(problems.join('\n'), text).not.toContain(SECRET.slice(8));
    }
  });

  it('--check-config prints none of them, and no YAML warning with the line it is about', () => {
    const path = file(
      [
        `${SECRET}:`,
        'listen:',
        `  trustedProxies: ["${SECRET}"]`,
        'limits:',
        `  ${SECRET}:`,
        'providers:',
        ACCOUNT,
        'clients:',
        `  - { name: "${SECRET}", key: "0123456789abcdef0123", roles: [admin] }`,
        `  - { name: "${SECRET}", key: "0123456789abcdef0124", roles: [admin] }`,
        '',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config', path], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('duplicate client name (not quoted');
    expect(result.stderr).toContain('listen.trustedProxies[0]');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    const tagged = file(`providers:\n  - id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth:\n      token: !${SECRET}\nclients:\n${CLIENT}\n`);
    const warned = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config', tagged], { encoding: 'utf8', timeout: 30_000 });
    expect(warned.status).toBe(2);
    expect(warned.stderr).toContain(`${tagged}:6:14: not valid YAML`);
    expect(warned.stdout + warned.stderr).not.toContain(SECRET.slice(8));
  }, 60_000);
});
