import { readFileSync } from 'node:fs';
import { parse, type EnumTypeDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from '../../src/observability/logger.js';
import { PROVIDER_KINDS, PROVIDER_MODULES, createAdapter, providerConfigSchema, simulatedKinds, type ProviderConfig } from '../../src/providers/registry.js';

const SCHEMA = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

/** The values of `enum ProviderKind` in schema.graphql, as written there. */
function schemaProviderKinds(): string[] {
  const definition = parse(SCHEMA).definitions.find((node): node is EnumTypeDefinitionNode => node.kind === 'EnumTypeDefinition' && node.name.value === 'ProviderKind');
  return (definition?.values ?? []).map((value) => value.name.value);
}

describe('the provider registry', () => {
  it("has exactly the kinds schema.graphql's enum ProviderKind names (a new provider adds both)", () => {
    const schema = schemaProviderKinds();
    const registry = Object.keys(PROVIDER_MODULES).map((kind) => kind.toUpperCase());
    // Named by side, so the message says which file to change.
    expect({
      inRegistryNotInSchema: registry.filter((kind) => !schema.includes(kind)),
      inSchemaNotInRegistry: schema.filter((kind) => !registry.includes(kind)),
    }).toEqual({ inRegistryNotInSchema: [], inSchemaNotInRegistry: [] });
    expect(schema.length).toBe(registry.length);
  });

  it('keys each module by its own kind, and each entry schema by the same kind', () => {
    for (const [key, module] of Object.entries(PROVIDER_MODULES)) {
      expect(module.kind).toBe(key);
      expect(module.configSchema.shape.kind.value).toBe(key);
    }
    expect(PROVIDER_KINDS).toEqual(Object.keys(PROVIDER_MODULES));
    expect(simulatedKinds()).toEqual(PROVIDER_KINDS);
  });

  it('joins every kind into the config union', () => {
    expect(providerConfigSchema.options.map((option) => option.shape.kind.value)).toEqual(PROVIDER_KINDS);
  });

  it("blanks every module's redaction paths in log lines", () => {
    const paths = Object.values(PROVIDER_MODULES).flatMap((module) => module.logRedactPaths);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(REDACTED_PATHS).toContain(path);
  });

  it("gives each adapter the module's declared capabilities and declares the entry's secrets to its upstream client", async () => {
    const entries = await Promise.all(PROVIDER_KINDS.map(async (kind) => {
      // The simulator's own entry: a valid account of that kind.
      const simulator = await PROVIDER_MODULES[kind].startSimulator({});
      const entry = providerConfigSchema.parse(simulator.accountConfig(`${kind}-registry`));
      await simulator.stop();
      return entry;
    }));
    for (const entry of entries) {
      const adapter = createAdapter(entry as ProviderConfig, { logger: pino({ level: 'silent' }) });
      try {
        expect(adapter.account.kind).toBe(entry.kind);
        expect([...adapter.capabilities]).toEqual([...PROVIDER_MODULES[entry.kind].capabilities]);
        const auth = entry.auth as Record<string, string | undefined>;
        const secret = (auth.password ?? auth.token ?? auth.apiKey ?? auth.sessionId) as string;
        expect(adapter.upstream.secrets.scrub(`echo ${secret}`)).not.toContain(secret);
      } finally {
        await adapter.close();
      }
    }
  });
});
