import { isObjectType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';

/**
 * Descriptions of what @apollo/subgraph adds to the schema (`_entities`, `_service` and their
 * types, the `@link` spec's): it adds them bare, so GraphiQL's explorer showed the only fields of
 * `Query` with nothing to say. Set on the built schema, so introspection shows them; `_service { sdl }`
 * was printed by buildSubgraphSchema before, and a router composing it reads none.
 */
const TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  _Any: 'Apollo Federation: a reference to an entity, an object with its `__typename` and its key field, `id` here (`{ "__typename": "Instance", "id": "..." }`).',
  _Entity: 'Apollo Federation: every type with a `@key`: Backup, BackupDefinition, BackupSchedule, Instance, Operation, Provider.',
  _Service: 'Apollo Federation: what `_service` answers, this subgraph as a router composes it.',
  link__Import: 'The `@link` spec: a name imported from the linked spec (`"@key"`), or `{ name, as }` to import it under another.',
  link__Purpose: 'The `@link` spec: what a linked spec is for, as a router treats it.',
  federation__FieldSet: 'Apollo Federation: a selection of fields as text, the key fields of `@key(fields: "id")`.',
};

const ENTITIES = [
  'Apollo Federation: the entities a router asks for, one item per reference and in their order.',
  'Null alone where a well-formed reference names nothing (the object or its instance is gone, or its',
  'account is not one this gateway has or this key may see); null with an error at `_entities.N` where',
  "it cannot be read (a malformed id, or one of another type: BAD_USER_INPUT; its provider failing: PROVIDER_*).",
  'The same DataLoaders, limits and keys as any query.',
].join(' ');

const REPRESENTATIONS = [
  'References as a router sends them, `{ __typename, id }` of Backup, BackupDefinition, BackupSchedule,',
  'Instance, Operation or Provider (a Provider by its account id). Counted with the request\'s other list',
  'arguments against `limits.maxListArgument` (1,000 by default); anything else is BAD_USER_INPUT, naming the first.',
].join(' ');

const SERVICE = 'Apollo Federation: this subgraph\'s schema for composition. Needs an admin key unless the config sets `introspection: true`.';
const SDL = 'This subgraph\'s schema in SDL, Federation 2 (`@link`, `@key`, `@shareable`), as a router composes it.';

/** Gives what @apollo/subgraph added to `schema` its descriptions (only where it has none). */
export function describeFederationFields(schema: GraphQLSchema): void {
  for (const [name, description] of Object.entries(TYPE_DESCRIPTIONS)) {
    const type: GraphQLNamedType | undefined = schema.getType(name);
    if (type && !type.description) type.description = description;
  }
  const query = schema.getQueryType()?.getFields();
  const entities = query?._entities;
  if (entities) {
    entities.description ??= ENTITIES;
    const representations = entities.args.find((arg) => arg.name === 'representations');
    if (representations) representations.description ??= REPRESENTATIONS;
  }
  if (query?._service) query._service.description ??= SERVICE;
  const service = schema.getType('_Service');
  const sdl = isObjectType(service) ? service.getFields().sdl : undefined;
  if (sdl) sdl.description ??= SDL;
}
