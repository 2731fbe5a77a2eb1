import type { ProviderKind as SchemaProviderKind } from '../graphql/generated/resolvers-types.js';
import type { ProviderKind as RegistryProviderKind } from '../providers/registry.js';

/*
 * The Provider.kind resolver writes the registry's kind in upper case and casts
 * it to the schema's enum (src/graphql may not import the providers). This file
 * sits in the one layer that sees both, so `npm run typecheck` fails, naming
 * the kinds, when the registry and schema.graphql's enum ProviderKind (through
 * `npm run codegen`) disagree. It has no run-time content.
 */
type InRegistryNotInSchema = Exclude<Uppercase<RegistryProviderKind>, SchemaProviderKind>;
type InSchemaNotInRegistry = Exclude<SchemaProviderKind, Uppercase<RegistryProviderKind>>;

/** Holds only `true`: anything else is a compile error that shows it. */
type MustHold<Check extends true> = Check;

export type RegistryKindsAreInTheSchema = MustHold<
  [InRegistryNotInSchema] extends [never] ? true : { 'kinds in src/providers/registry.ts but not in schema.graphql enum ProviderKind (add them, then npm run codegen)': InRegistryNotInSchema }
>;
export type SchemaKindsAreInTheRegistry = MustHold<
  [InSchemaNotInRegistry] extends [never] ? true : { 'values of schema.graphql enum ProviderKind with no module in src/providers/registry.ts': InSchemaNotInRegistry }
>;
