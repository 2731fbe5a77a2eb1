import { getNamedType, isObjectType, parse, type FieldNode, type GraphQLObjectType, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';

/** The fields of `selection` (under `type`) that graphql-jit serves through a resolver call, as Type.field, in query order. */
function resolvedFields(type: GraphQLObjectType, selection: SelectionSetNode, found: string[] = []): string[] {
  for (const node of selection.selections) {
    if (node.kind !== 'Field') continue;
    const field = type.getFields()[node.name.value];
    if (!field) throw new Error(`${type.name}.${node.name.value} is not in the schema`);
    if (field.resolve) found.push(`${type.name}.${field.name}`);
    const served = getNamedType(field.type);
    if (node.selectionSet && isObjectType(served)) resolvedFields(served, node.selectionSet, found);
  }
  return found;
}

describe("the warm dashboard's resolvers", () => {
  const schema = buildSchema();

  it('serves ids, what a cron says and whether a retention was stated as plain properties: no resolver call per object and request', () => {
    const fields = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    for (const [type, names] of Object.entries({ Provider: ['id', 'kind', 'name'], Backup: ['id'], BackupSchedule: ['id', 'weekdays', 'time'], BackupDefinition: ['id', 'retentionStated'] })) {
      for (const name of names) expect({ field: `${type}.${name}`, resolver: typeof fields(type)[name]?.resolve }).toEqual({ field: `${type}.${name}`, resolver: 'undefined' });
    }
  });

  it("calls per provider only what waits on the request's calls or copies a set (the product's dashboard query)", () => {
    const operation = parse(DASHBOARD_QUERY).definitions[0];
    if (operation?.kind !== 'OperationDefinition') throw new Error('no operation');
    const providers = operation.selectionSet.selections.find((node): node is FieldNode => node.kind === 'Field' && node.name.value === 'providers');
    if (!providers?.selectionSet) throw new Error('no providers in the dashboard query');
    expect(resolvedFields(schema.getType('Provider') as GraphQLObjectType, providers.selectionSet)).toEqual(['Provider.health', 'Provider.capabilities']);
  });

  it("calls per instance only what depends on the request or links to another object (the product's dashboard query)", () => {
    const document = parse(DASHBOARD_QUERY);
    const operation = document.definitions[0];
    if (operation?.kind !== 'OperationDefinition') throw new Error('no operation');
    const all = resolvedFields(schema.getQueryType() as GraphQLObjectType, operation.selectionSet);
    const perInstance = all.slice(all.indexOf('InstanceEdge.node') + 1 || all.indexOf('Instance.id'));
    expect(perInstance).toEqual([
      'Instance.id',
      'Instance.provider',
      'Instance.backups',
      'Instance.schedules',
      'BackupSchedule.nextRunAt',
      'Instance.definitions',
      'BackupDefinition.retention',
      'BackupSchedule.nextRunAt',
    ]);
  });
});
