import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/**
 * A config saved as UTF-16 (a Windows editor's "Unicode", PowerShell 5's `>`) read as one odd
 * YAML scalar: "(root): must be keys and values (key: value, or { key: value })", though every
 * key was written as keys and values. It is named for what it is.
 */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const TEXT = ['allowAnonymous: true', 'providers:', '  - id: zomro-nl', '    kind: zomro', '    url: https://api.zomro.example/', '    timezone: UTC', '    auth: { token: "zomro-secret-token-xyz" }', ''].join('\n');
const saved = (bytes: Buffer): string => {
  const path = join(temp.make('bg-config-encoding-'), 'config.yaml');
  writeFileSync(path, bytes);
  return path;
};
const problemsOf = (path: string): string[] => {
  try {
    loadConfigFile(path, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};
const UTF16 = 'the file is UTF-16 text, not UTF-8 (saved as "Unicode"?): save it as UTF-8 (an editor\'s encoding menu; PowerShell: Out-File -Encoding utf8)';

describe('a config file that is not UTF-8 text', () => {
  it('UTF-16, little-endian with its BOM (Windows) or big-endian without: named so', () => {
    const little = saved(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]));
    expect(problemsOf(little)).toEqual([`${little}: ${UTF16}`]);
    const big = saved(Buffer.from(TEXT, 'utf16le').swap16());
    expect(problemsOf(big)).toEqual([`${big}: ${UTF16}`]);
  });

  it('NUL bytes elsewhere: not a text file', () => {
    const path = saved(Buffer.from(`${TEXT}\u0000\u0001\u0002`));
    expect(problemsOf(path)).toEqual([`${path}: the file holds NUL bytes, which no YAML file holds: it is not a text file, or not UTF-8; save the config as UTF-8 text`]);
  });

  it('the same text in UTF-8 loads (guard)', () => {
    expect(problemsOf(saved(Buffer.from(TEXT)))).toEqual([]);
  });
});
