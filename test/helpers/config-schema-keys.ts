import { configSchema } from '../../src/config/schema.js';

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  options?: Array<{ _zod: { def: SchemaDef } }>;
  in?: { _zod: { def: SchemaDef } };
}

function keysOf(def: SchemaDef, into: Set<string>): Set<string> {
  if (def.shape) for (const [key, child] of Object.entries(def.shape)) {
    into.add(key);
    keysOf(child._zod.def, into);
  }
  for (const inner of [def.innerType, def.element, def.in]) if (inner) keysOf(inner._zod.def, into);
  for (const option of def.options ?? []) keysOf(option._zod.def, into);
  return into;
}

/** Every object key the config schema knows, at any depth (records' free keys aside), read off zod's definitions. */
export const configSchemaKeys = (): string[] => [...keysOf((configSchema as unknown as { _zod: { def: SchemaDef } })._zod.def, new Set())];
