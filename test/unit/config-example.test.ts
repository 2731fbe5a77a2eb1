import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, validateConfig } from '../../src/config/load.js';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { READ_CACHE_DEFAULTS } from '../../src/config/read-cache.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { configSchemaKeys } from '../helpers/config-schema-keys.js';

const FILE = 'backup-graph.example.yaml';
const TEXT = readFileSync(FILE, 'utf8');
/** A value for every ${VAR} the example names (long and distinct enough for client keys). */
const ENV = Object.fromEntries([...TEXT.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map(([, name]) => [name!, `${name!.toLowerCase()}-0123456789abcdef`]));

describe('backup-graph.example.yaml', () => {
  it('is a valid config once its variables are set', () => {
    const config = loadConfigFile(FILE, ENV);
    expect(config.providers.map((provider) => provider.kind), 'one backup-graph.example.yaml entry per registry kind, in registry order').toEqual(PROVIDER_KINDS);
  });

  it("lists every registry kind in the kind key's comment", () => {
    const listed = /^#\s+kind\s+required: (.*)$/m.exec(TEXT)?.[1];
    expect(listed?.split(' | '), 'the kinds in backup-graph.example.yaml\'s "#   kind        required:" comment').toEqual(PROVIDER_KINDS);
  });

  it('names every key the config schema has', () => {
    const text = readFileSync(FILE, 'utf8');
    const keys = configSchemaKeys();
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((key) => !new RegExp(`\\b${key}\\b`).test(text))).toEqual([]);
  });

  it('states the defaults the schema applies', () => {
    const example = loadConfigFile(FILE, ENV);
    const defaults = validateConfig({ allowAnonymous: true, providers: [{ id: 'x', kind: 'zomro', url: 'https://x/', auth: { token: 't' } }] });
    expect(example.listen).toEqual(defaults.listen);
    expect(example.admin).toEqual(defaults.admin);
    expect(example.limits).toEqual(defaults.limits);
    expect({ ...example.protection, perProvider: {} }).toEqual(defaults.protection);
    expect([example.introspection, example.logLevel]).toEqual([defaults.introspection, defaults.logLevel]);
    expect((parseYaml(readFileSync(FILE, 'utf8')) as { allowAnonymous: boolean }).allowAnonymous).toBe(false);
    const zomro = example.providers[0]!;
    expect({ timeoutMs: zomro.timeoutMs, retries: zomro.retries, maxConcurrency: zomro.maxConcurrency, cacheTtlMs: zomro.cacheTtlMs, breakerThreshold: zomro.breakerThreshold, breakerHalfOpenAfterMs: zomro.breakerHalfOpenAfterMs }).toEqual({
      timeoutMs: UPSTREAM_DEFAULTS.timeoutMs,
      retries: UPSTREAM_DEFAULTS.retries,
      maxConcurrency: UPSTREAM_DEFAULTS.maxConcurrency,
      cacheTtlMs: READ_CACHE_DEFAULTS.cacheTtlMs,
      breakerThreshold: UPSTREAM_DEFAULTS.breakerThreshold,
      breakerHalfOpenAfterMs: UPSTREAM_DEFAULTS.breakerHalfOpenAfterMs,
    });
  });
});
