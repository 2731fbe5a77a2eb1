import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, validateConfig } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * What a config problem may say of a key it cannot quote: a setting's name is never a secret,
 * whatever its case or section; a token written as a key is not named, but its line is, so two
 * of them are two problems; a `*name` YAML cannot resolve says which line it is on.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const OTHER_SECRET = 'Zq8sEcReTpAsTe9';
const CLIENT = '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }';
const ACCOUNT = '  - { id: zomro-nl, kind: zomro, url: "https://api.zomro.example/", timezone: UTC, auth: { token: "zomro-secret-token-xyz" } }';
const BASE = `providers:\n${ACCOUNT}\nclients:\n${CLIENT}\n`;

const writeConfig = (text: string): string => {
  const path = join(temp.make('bg-config-key-lines-'), 'config.yaml');
  writeFileSync(path, text);
  return path;
};

const problemsOf = (text: string): string[] => {
  try {
    loadConfigFile(writeConfig(text), {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("a setting's name written lowercased in the wrong section", () => {
  it('is named, with the setting it is and where that goes, however long its letters run', () => {
    const cases: Array<[string, string]> = [
      [`limits:\n  breakerhalfopenafterms: 30000\n${BASE}`, 'limits.breakerhalfopenafterms: unknown key here; did you mean "breakerHalfOpenAfterMs", a setting of providers[N]? Move it there if it is that; allowed here: maxDepth, '],
      [`shutdown:\n  backupgiveupms: 3600000\n${BASE}`, 'shutdown.backupgiveupms: unknown key here; did you mean "backupGiveUpMs", a setting of providers[N]? Move it there if it is that; allowed here: drainTimeoutMs, readyzGraceMs'],
      [`maxunsentanswerbytesperaddress: 65536\n${BASE}`, 'maxunsentanswerbytesperaddress: unknown key here; did you mean "maxUnsentAnswerBytesPerAddress", a setting of limits? Move it there if it is that; allowed here: listen, '],
    ];
    for (const [text, start] of cases) {
      const problems = problemsOf(text);
      expect(problems, start).toHaveLength(1);
      expect(problems[0]!.startsWith(start), problems[0]).toBe(true);
    }
  });

  it("a setting elsewhere still lists this section's keys (a client's apiKey meant its key, not an auth's apiKey); one of them in another case is named here", () => {
    expect(problemsOf(`providers:\n${ACCOUNT}\nclients:\n  - { name: ops, apiKey: "0123456789abcdef0123", roles: [admin] }\n`)).toEqual([
      'clients[0].key (client ops): required',
      expect.stringMatching(/^clients\[0\]\.apiKey \(client ops\): unknown key here; apiKey is a setting of providers\[N\]\.auth: move it there if it is that; allowed here: name, key, roles, providers$/),
    ]);
    expect(problemsOf(`limits:\n  maxdepth: 5\n${BASE}`)).toEqual(['limits.maxdepth: unknown key; did you mean "maxDepth"?']);
  });

  it('guard: a random token of as many small letters in the same place is still not quoted', () => {
    const token = 'qwrtzpdfghjklmnbvcxysdw';
    const problems = problemsOf(`limits:\n  ${token}: 3\n${BASE}`);
    expect(problems).toEqual([expect.stringMatching(/^limits: an unknown key, not quoted \(line 2: /)]);
    expect(problems.join('\n')).not.toContain(token);
  });
});

describe('two keys that cannot be quoted in one section', () => {
  it('are two problems, each with its line, neither with its text', () => {
    const problems = problemsOf(`limits:\n  maxDepth: 5\n  ${SECRET}:\n  ${OTHER_SECRET}: 1\n${BASE}`);
    expect(problems).toEqual([expect.stringMatching(/^limits: an unknown key, not quoted \(line 3: it is not of a setting's form/), expect.stringMatching(/^limits: an unknown key, not quoted \(line 4: /)]);
    expect(problems.join('\n')).not.toMatch(new RegExp(`${SECRET}|${OTHER_SECRET}`));
  });

  it('a provider entry with two credentials left without their key: each line named', () => {
    const problems = problemsOf(`providers:\n  - id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth:\n      token: zomro-secret-token-xyz\n      ${SECRET}:\n      ${OTHER_SECRET}:\nclients:\n${CLIENT}\n`);
    expect(problems).toEqual([
      expect.stringMatching(/^providers\[0\]\.auth \(account zomro-nl\): a key with no value, not quoted \(line 7: it may be a secret/),
      expect.stringMatching(/^providers\[0\]\.auth \(account zomro-nl\): a key with no value, not quoted \(line 8: /),
    ]);
    expect(problems.join('\n')).not.toMatch(new RegExp(`${SECRET}|${OTHER_SECRET}`));
  });

  it('a config not read from a file: each by its place among the unknown keys', () => {
    const config = { limits: { [SECRET]: 1, [OTHER_SECRET]: 2 }, providers: [{ id: 'a', kind: 'zomro', url: 'https://a.example/', auth: { token: 'zomro-secret-token-xyz' } }], allowAnonymous: true };
    let problems: string[] = [];
    try {
      validateConfig(config);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringContaining('(the 1st of 2 unknown keys here: '), expect.stringContaining('(the 2nd of 2 unknown keys here: ')]);
    expect(problems.join('\n')).not.toMatch(new RegExp(`${SECRET}|${OTHER_SECRET}`));
  });
});

describe('a *name YAML cannot resolve', () => {
  it('is refused with its line and column, the name still not quoted', () => {
    const text = `providers:\n  - id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth:\n      token: *Summer2024\nclients:\n${CLIENT}\n`;
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/config\.yaml:6:14: not valid YAML: Unresolved alias .*write it in quotes$/);
    expect(problem).not.toContain('Summer2024');
  });

  it('at a merge key (<<: *name, an anchor mistyped): its line, and what a merge takes', () => {
    const text = `x-defaults: &defaults\n  timezone: UTC\nproviders:\n  - <<: *defautls\n    id: zomro-nl\n    kind: zomro\n    url: https://api.zomro.example/\n    auth: { token: "zomro-secret-token-xyz" }\nclients:\n${CLIENT}\n`;
    expect(problemsOf(text)).toEqual([expect.stringMatching(/config\.yaml:4:9: not valid YAML: .*a merge \(<<: \*name\) takes the block marked &name above it/)]);
  });
});
