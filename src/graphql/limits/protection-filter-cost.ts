import { Kind, getNamedType, type FieldNode, type GraphQLField, type ValueNode } from 'graphql';

/** The filter input whose `protection` or `rpoHours` makes the gateway judge every instance the list walks. */
const JUDGING_FILTER_TYPE = 'InstanceFilter';
const JUDGING_FIELDS = new Set(['protection', 'rpoHours']);

/**
 * What judging one instance's protection costs: what selecting `protection { status }`
 * on a node does (the field and one leaf). The filter reads the same backups, schedules
 * and definitions, selected or not.
 */
export const PROTECTION_JUDGEMENT_COST = 2;

type Variables = Readonly<Record<string, unknown>>;

/** A field of the filter given a value: a variable counts once its value is known and not null. */
function given(node: ValueNode, variables: Variables | undefined): boolean {
  if (node.kind === Kind.NULL) return false;
  if (node.kind === Kind.VARIABLE) return variables !== undefined && variables[node.name.value] != null;
  return true;
}

/**
 * Whether `node`'s arguments make the gateway judge the protection of each instance it lists
 * (`instances(filter: { protection })`, or `{ rpoHours }` alone, which lists every status judged
 * at it): then each item of its page costs what a `protection` selection would. A filter given
 * as a variable is read when the variables are known (costLimitPlugin), as lists are.
 */
export function judgesProtection(node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Variables | undefined): boolean {
  for (const argument of node.arguments ?? []) {
    const definition = field.args.find((candidate) => candidate.name === argument.name.value);
    if (!definition || getNamedType(definition.type).name !== JUDGING_FILTER_TYPE) continue;
    const value = argument.value;
    if (value.kind === Kind.OBJECT && value.fields.some((item) => JUDGING_FIELDS.has(item.name.value) && given(item.value, variables))) return true;
    if (value.kind === Kind.VARIABLE && variables !== undefined) {
      const filter = variables[value.name.value];
      if (filter !== null && typeof filter === 'object' && Object.entries(filter).some(([name, item]) => JUDGING_FIELDS.has(name) && item != null)) return true;
    }
  }
  return false;
}
