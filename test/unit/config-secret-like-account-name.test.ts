import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { HOLDS_SECRET, TOKEN_FORM } from '../../src/config/secret-like-name.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A provider account's `name` is shown to callers (`providers { name }`) and written in logs and
 * metrics labels. A token pasted there (one line from `auth:`) was taken without a word, and
 * leaked wherever the account was named. It is refused, and never quoted.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const TOKEN = 'zmr_7Fq2xK9pLw3Rt8Vb1Nc6Hy4Jd';
const SHOWN = ': the name is shown to callers and written in logs and metrics labels, where a secret would leak: write a name for people (or leave name out: the id is shown)';

const problemsOf = (name: string, env: NodeJS.ProcessEnv = {}): string[] => {
  const path = join(temp.make('bg-config-account-name-'), 'config.yaml');
  writeFileSync(path, ['allowAnonymous: true', 'providers:', '  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', `    name: ${JSON.stringify(name)}`, '    auth: { token: "${ZOMRO_TOKEN}" }', ''].join('\n'));
  try {
    loadConfigFile(path, { ZOMRO_TOKEN: TOKEN, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("a provider account's name that is, or looks like, a secret", () => {
  it("the account's own token (from the environment), alone or within the name: refused, not quoted", () => {
    for (const name of [TOKEN, `Zomro NL ${TOKEN}`]) {
      const problems = problemsOf(name);
      expect(problems).toEqual([`providers[0].name (account zomro-nl): ${HOLDS_SECRET}${SHOWN}`]);
      expect(problems.join('\n')).not.toContain(TOKEN);
    }
  });

  it('a word of a token\'s form, no secret of this config (a token of another account): refused, not quoted', () => {
    const other = 'sk_live_51HqLyjWDarjtT1zdp7dcGhX';
    const problems = problemsOf(`Zomro ${other}`);
    expect(problems).toEqual([`providers[0].name (account zomro-nl): ${TOKEN_FORM}${SHOWN}`]);
    expect(problems.join('\n')).not.toContain(other);
  });

  it('names for people are taken (guard): words, places, host names, numbers', () => {
    for (const name of ['Zomro NL (Amsterdam)', 'zomro-nl-production-2', 'backup-eu-west-1.zomro.example.com', 'Zomro account 12345678', 'Zomro: the old panel, 2019-2024', 'backup-graph-production-cluster.example.com']) {
      expect(problemsOf(name), name).toEqual([]);
    }
  });
});
