import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { urlWithScheme } from '../../src/config/url-without-scheme.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A newcomer's commonest mistakes in a first config (an indent off by a space or a level, a tab,
 * a kind misspelt, a url without its scheme, a `${VAR}` not set), read whole through the loader:
 * each problem says what to change, not only what is wrong.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const CLIENT = '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }';
const file = (lines: readonly string[]): string => {
  const path = join(temp.make('bg-config-newcomer-'), 'config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};
const problemsOf = (path: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    loadConfigFile(path, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};
const account = (url: string): string[] => ['  - id: zomro-nl', '    kind: zomro', `    url: ${url}`, '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }'];

describe("a newcomer's config mistakes", () => {
  it('a number where text goes (a password, a user, a client key, an id): says to write it in quotes, never quoting it (it said "must be a string" or "must be text")', () => {
    const path = file([
      'providers:',
      '  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { username: 1001, password: 73914286 } }',
      '  - { id: 42, kind: onapp, url: "https://cloud.example.com", auth: { username: ops, password: 0017391428 } }',
      'clients:',
      '  - { name: ops, key: 1234567890123456789012, roles: [admin] }',
    ]);
    const problems = problemsOf(path);
    const words = 'must be text, and YAML reads this value as a number: write it in quotes ("...")';
    expect(problems).toEqual([
      `clients[0].key (client ops): ${words}`,
      `providers[0].auth.username (account zomro-nl): ${words}`,
      `providers[0].auth.password (account zomro-nl): ${words}`,
      `providers[1].id (the 2nd provider): ${words}`,
      `providers[1].auth.password (the 2nd provider): ${words}`,
    ]);
    for (const secret of ['73914286', '17391428', '1234567890']) expect(problems.join('\n')).not.toContain(secret);
  });

  it('a port written as its section (`listen: 4000`): says to write { port: 4000 }', () => {
    const path = file(['listen: 4000', 'admin: 9465', 'providers:', ...account('https://api.zomro.example/'), 'clients:', CLIENT]);
    expect(problemsOf(path)).toEqual([
      'listen: must be keys and values: write listen: { port: 4000 } (the port is one of its keys, beside host)',
      'admin: must be keys and values: write admin: { port: 9465 } (the port is one of its keys, beside host)',
    ]);
    // guard: anything else where a section goes keeps the general words
    expect(problemsOf(file(['listen: true', 'providers:', ...account('https://api.zomro.example/'), 'clients:', CLIENT]))).toEqual(['listen: must be keys and values (key: value, or { key: value })']);
  });

  it('a key indented one space further than the one above: says to indent the block alike', () => {
    const path = file(['providers:', '  - id: zomro-nl', '    kind: zomro', '     url: https://api.zomro.example/', '    auth: { token: "zomro-secret-token-xyz" }', 'clients:', CLIENT]);
    expect(problemsOf(path)).toEqual([
      `${path}:3:11: not valid YAML: Nested mappings are not allowed in compact mappings: line 4 is indented further than the key on line 3 above it, so YAML reads it as part of that key's value: indent the keys of one block by the same number of spaces`,
    ]);
  });

  it('a key indented further past a blank line, or a comment: names its own line, not a line above it', () => {
    const afterBlank = file(['providers:', '  - id: zomro-nl', '    kind: zomro', '', '     url: https://api.zomro.example/', '    auth: { token: "zomro-secret-token-xyz" }', 'clients:', CLIENT]);
    expect(problemsOf(afterBlank)).toEqual([
      `${afterBlank}:3:11: not valid YAML: Nested mappings are not allowed in compact mappings: line 5 is indented further than the key on line 3 above it, so YAML reads it as part of that key's value: indent the keys of one block by the same number of spaces`,
    ]);
    // YAML's position is the comment's line here.
    const afterComment = file(['providers:', '  - id: zomro-nl', '    kind: zomro', '    # the API, not the panel', '     url: https://api.zomro.example/', '    auth: { token: "zomro-secret-token-xyz" }', 'clients:', CLIENT]);
    expect(problemsOf(afterComment)).toEqual([
      `${afterComment}:4:1: not valid YAML: All mapping items must start at the same column: line 5 is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`,
    ]);
  });

  it("a list's item written without its \"- \": says to begin it with one", () => {
    const path = file(['allowAnonymous: true', 'trustedProxies:', '  - 10.0.0.1', '  10.0.0.2', 'providers:', ...account('https://api.zomro.example/')]);
    expect(problemsOf(path)).toEqual([`${path}:4:1: not valid YAML: All mapping items must start at the same column: line 4 is neither a key nor a list item: begin it with "- " if it is an item of the list above it`]);
  });

  it('a key indented less than the one above: names its line and says to indent the block alike', () => {
    const inSection = file(['listen:', '  port: 4000', ' host: 127.0.0.1', 'allowAnonymous: true', 'providers:', ...account('https://api.zomro.example/')]);
    expect(problemsOf(inSection)).toEqual([
      `${inSection}:3:1: not valid YAML: All mapping items must start at the same column: line 3 is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`,
    ]);
    const inEntry = file(['providers:', '  - id: zomro-nl', '    kind: zomro', '   url: https://api.zomro.example/', 'clients:', CLIENT]);
    expect(problemsOf(inEntry)).toEqual([
      `${inEntry}:4:1: not valid YAML: Sequence item without - indicator: line 4 is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`,
    ]);
  });

  it('a value holding ": " without quotes: says to quote it', () => {
    const path = file(['allowAnonymous: true', 'logLevel: info: debug', 'providers:', ...account('https://api.zomro.example/')]);
    expect(problemsOf(path)).toEqual([`${path}:2:11: not valid YAML: Nested mappings are not allowed in compact mappings: a value holding ": " is read as another key: write the value in quotes`]);
  });

  it("a client's key at the left margin: says to indent it under its entry", () => {
    const path = file(['providers:', ...account('https://api.zomro.example/'), 'clients:', '- name: ops', '  key: "0123456789abcdef0123"', 'roles: [admin]']);
    expect(problemsOf(path)).toEqual([
      'clients[0].roles (client ops): required',
      `roles: unknown key at the top level; roles is a key of each client entry: indent it as the entry's other keys (under its "- ")`,
    ]);
    const provider = file(['allowAnonymous: true', 'providers:', '  - id: zomro-nl', '    kind: zomro', '    auth: { token: "zomro-secret-token-xyz" }', 'url: https://api.zomro.example/']);
    expect(problemsOf(provider)).toContain(`url: unknown key at the top level; url is a key of each provider entry: indent it as the entry's other keys (under its "- ")`);
  });

  it('a url without its scheme: shows it with https:// in front', () => {
    const path = file(['providers:', ...account('api.zomro.example'), ...account('panel.example:8080/api/v1').map((line) => line.replace('zomro-nl', 'panel')), 'clients:', CLIENT]);
    expect(problemsOf(path)).toEqual([
      'providers[0].url (account zomro-nl): must be an http(s) URL, its scheme first: https://api.zomro.example (or http:// for an API without TLS)',
      'providers[1].url (account panel): must be an http(s) URL, its scheme first: https://panel.example:8080/api/v1 (or http:// for an API without TLS)',
    ]);
  });

  it('a url quoted with https:// in front only where it is plain parts: no user:password@, ?query, or token', () => {
    expect(urlWithScheme('api.zomro.example')).toBe('https://api.zomro.example');
    expect(urlWithScheme(' localhost:8080/ ')).toBe('https://localhost:8080/');
    for (const written of ['user:pw@api.example', 'api.example/?token=abc', 'api.example/sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'ftp://api.example', 4000, undefined]) expect(urlWithScheme(written), String(written)).toBeUndefined();
  });

  it('a ${VAR} not set: says to set it or its _FILE', () => {
    const path = file(['providers:', ...account('"${ZOMRO_URL}"'), 'clients:', CLIENT]);
    expect(problemsOf(path)).toEqual(['providers[0].url (account zomro-nl): environment variable ZOMRO_URL is not set: set it, or set ZOMRO_URL_FILE to a file that holds the value']);
  });

  it('a ${VAR} not set beside one that looks meant as it (another case, a typo, a typo in its _FILE): names that one', () => {
    const path = file(['providers:', ...account('"${ZOMRO_URL}"').map((line) => line.replace('"zomro-secret-token-xyz"', '"${ZOMRO_TOKEN}"')), 'clients:', '  - { name: ops, key: "${OPS_KEY}", roles: [admin] }']);
    expect(problemsOf(path, { Zomro_Url: 'https://api.zomro.example/', ZOMRO_TOKN: 'zomro-secret-token-xyz', OPS_KEY_FIEL: '/run/secrets/ops' })).toEqual([
      'providers[0].url (account zomro-nl): environment variable ZOMRO_URL is not set (Zomro_Url is set: names are case-sensitive, write ZOMRO_URL): set it, or set ZOMRO_URL_FILE to a file that holds the value',
      'providers[0].auth.token (account zomro-nl): environment variable ZOMRO_TOKEN is not set (ZOMRO_TOKN is set: one of the two names is misspelt; write ${ZOMRO_TOKN} here, or rename the variable to ZOMRO_TOKEN): set it, or set ZOMRO_TOKEN_FILE to a file that holds the value',
      'clients[0].key (client ops): environment variable OPS_KEY is not set (OPS_KEY_FIEL is set: did you mean OPS_KEY_FILE?): set it, or set OPS_KEY_FILE to a file that holds the value',
    ]);
    // guard: a variable of a token's form is not named, and an unrelated one is not taken for it
    expect(problemsOf(path, { ZOMRO_URL: 'https://api.zomro.example/', ZOMRO_TOKEN: 'zomro-secret-token-xyz', sk_live_4eC39HqLyjWDarjtT1zdp7dc: 'x', OPS: 'x' })).toEqual([
      'clients[0].key (client ops): environment variable OPS_KEY is not set: set it, or set OPS_KEY_FILE to a file that holds the value',
    ]);
  });

  it('--check-config says the same, with the tab and the misspelt kind it already explained', () => {
    const run = (path: string) => {
      const env = { ...process.env };
      delete env.ZOMRO_TOKEN;
      delete env.ZOMRO_TOKEN_FILE;
      return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config', path], { encoding: 'utf8', timeout: 30_000, env });
    };
    const kind = run(file(['providers:', '  - id: zomro-nl', '    kind: Zomro Cloud', '    url: https://api.zomro.example/', '    auth: { token: "zomro-secret-token-xyz" }', 'clients:', CLIENT]));
    expect(kind.status).toBe(2);
    expect(kind.stderr).toContain('providers[0].kind (account zomro-nl): must be one of zomro, onapp, zstack, danube; did you mean "zomro"?');
    const result = run(file(['providers:', ...account('api.zomro.example').map((line) => line.replace('"zomro-secret-token-xyz"', '"${ZOMRO_TOKEN}"')), 'clients:', CLIENT]));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('providers[0].auth.token (account zomro-nl): environment variable ZOMRO_TOKEN is not set: set it, or set ZOMRO_TOKEN_FILE to a file that holds the value');
    expect(result.stderr).toContain('providers[0].url (account zomro-nl): must be an http(s) URL, its scheme first: https://api.zomro.example (or http:// for an API without TLS)');
    const tab = file(['providers:', '  - id: zomro-nl', '\tkind: zomro']);
    expect(run(tab).stderr).toContain(`${tab}:3:1: not valid YAML: Tabs are not allowed as indentation: indent with spaces`);
  }, 60_000);
});
