import { readFileSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultTimezones } from '../../src/config/default-timezone.js';
import { loadConfigObject } from '../../src/config/load.js';
import { configSchemaKeys } from '../helpers/config-schema-keys.js';

/**
 * The README's config examples are meant to be pasted: the short example (Configuration)
 * must load as it stands, and the protection snippet (Protection) must load beside it.
 * backup-graph.example.yaml has its own test (test/unit/config-example.test.ts).
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first ```yaml block after `heading` (a line of the README, matched from its start). */
function yamlAfter(heading: string): string {
  const start = README.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`README.md has no line starting "${heading}"`);
  const match = /\n```yaml\n([\s\S]*?)\n```/.exec(README.slice(start));
  if (!match) throw new Error(`no yaml block after "${heading}"`);
  return match[1]!;
}

/** A value for every ${VAR} a text names (long and distinct enough for client keys). */
const envFor = (text: string) => Object.fromEntries([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map(([, name]) => [name!, `${name!.toLowerCase()}-0123456789abcdef`]));

describe('README config examples', () => {
  const short = yamlAfter('A short example:');

  it('loads the short example with its variables set', () => {
    const config = loadConfigObject(parseYaml(short), envFor(short));
    expect(config.providers.map((provider) => provider.id)).toEqual(['zomro-nl', 'flex', 'lab', 'dc1']);
  });

  it('names the zone of every account whose API writes dates without one: pasted, it starts without a warning', () => {
    expect(defaultTimezones(loadConfigObject(parseYaml(short), envFor(short)))).toEqual([]);
  });

  it('loads the protection snippet beside it (the accounts it names are the short example’s)', () => {
    const snippet = parseYaml(yamlAfter('The RPO is the `rpoHours` argument')) as Record<string, unknown>;
    const config = loadConfigObject({ ...(parseYaml(short) as Record<string, unknown>), ...snippet }, envFor(short));
    expect(config.protection.perProvider).toEqual({ lab: 168 });
  });

  it('names every key of the config schema in the README or docs/, not only in backup-graph.example.yaml (logLevel was named nowhere else)', () => {
    const docs = readdirSync(new URL('../../docs/', import.meta.url)).filter((name) => name.endsWith('.md'));
    const text = [README, ...docs.map((name) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8'))].join('\n');
    const keys = configSchemaKeys();
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((key) => !new RegExp(`\\b${key}\\b`).test(text))).toEqual([]);
  });
});
