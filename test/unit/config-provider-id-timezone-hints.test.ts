import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { tempDirs } from '../helpers/temp-dirs.js';

/** A provider id in capitals and a misspelt time zone, read whole through the loader: each problem says what to write. */
const temp = tempDirs();
afterAll(() => temp.removeAll());

const CLIENT = '  - { name: ops, key: "0123456789abcdef0123", roles: [admin] }';
const problemsOf = (id: string, timezone: string): string[] => {
  const path = join(temp.make('bg-config-hints-'), 'config.yaml');
  const lines = ['providers:', `  - id: ${id}`, '    kind: zomro', '    url: https://api.zomro.example/', `    timezone: ${timezone}`, '    auth: { token: "zomro-secret-token-xyz" }', 'clients:', CLIENT];
  writeFileSync(path, `${lines.join('\n')}\n`);
  try {
    loadConfigFile(path, {});
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('provider id and time zone hints', () => {
  it('an id in capitals or with _ and spaces: says the id to write, in lower case', () => {
    expect(problemsOf('Flex', 'UTC')).toEqual(['providers[0].id (the 1st provider): must match [a-z0-9-]+ (lower-case letters, digits and -): write flex']);
    expect(problemsOf('"Zomro_NL 2"', 'UTC')).toEqual(['providers[0].id (the 1st provider): must match [a-z0-9-]+ (lower-case letters, digits and -): write zomro-nl-2']);
    // guard: an id with nothing to keep names no id to write
    expect(problemsOf('"é"', 'UTC')).toEqual(['providers[0].id (the 1st provider): must match [a-z0-9-]+ (lower-case letters, digits and -)']);
  });

  it('a misspelt time zone: did you mean the zone it is a slip away from', () => {
    expect(problemsOf('flex', 'Europe/Amsterdm')).toEqual(['providers[0].timezone (account flex): must be an IANA time zone: did you mean Europe/Amsterdam?']);
    // guard: a zone near none keeps the example
    expect(problemsOf('flex', 'Nowhere/Atall-Zzzzzzzz')).toEqual(['providers[0].timezone (account flex): must be an IANA time zone such as Europe/Amsterdam']);
  });

  it('a UTC offset: says an offset is no zone, to write the panel\'s zone, and the Etc/GMT zone of a fixed whole-hour offset (it said only "must be an IANA time zone such as Europe/Amsterdam")', () => {
    const words = "must be an IANA time zone, not a UTC offset: write the zone of the provider's panel, such as Europe/Amsterdam, whose offset follows daylight saving";
    expect(problemsOf('flex', '"+02:00"')).toEqual([`providers[0].timezone (account flex): ${words} (a fixed offset all year: Etc/GMT-2, its sign inverted)`]);
    expect(problemsOf('flex', 'UTC+2')).toEqual([`providers[0].timezone (account flex): ${words} (a fixed offset all year: Etc/GMT-2, its sign inverted)`]);
    expect(problemsOf('flex', 'GMT-5')).toEqual([`providers[0].timezone (account flex): ${words} (a fixed offset all year: Etc/GMT+5, its sign inverted)`]);
    // No Etc/GMT zone for a half hour: the panel's zone alone.
    expect(problemsOf('flex', '"+05:30"')).toEqual([`providers[0].timezone (account flex): ${words}`]);
    // guard: UTC and Etc/GMT-2 themselves are zones
    expect(problemsOf('flex', 'Etc/GMT-2')).toEqual([]);
  });
});
