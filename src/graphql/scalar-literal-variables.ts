import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isScalarType,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLScalarType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
  type VariableDefinitionNode,
  type VariableNode,
} from 'graphql';

/** A scalar's literal that holds variables, taken out of the document into a variable of its own. */
export interface HoistedLiteral {
  readonly name: string;
  readonly literal: ValueNode;
  readonly type: GraphQLScalarType;
}

export interface HoistedDocument {
  /** The document with each such literal replaced by its variable (the same document when there is none). */
  readonly document: DocumentNode;
  readonly hoisted: readonly HoistedLiteral[];
}

/**
 * graphql-jit turns a scalar's literal into its value once, when it compiles
 * the operation, calling `parseLiteral` with no variables: a variable inside
 * an `_Any` literal (`_entities(representations: [{__typename: "Provider",
 * id: $id}])`, as a person writes it in GraphiQL) read as missing. graphql-js
 * parses such a literal with the request's variables. Each literal of a
 * scalar type that holds a variable becomes a variable of that scalar type,
 * so the operation is still compiled once and its value is parsed per request
 * (hoistedValues), as graphql-js would.
 */
export function hoistScalarLiteralVariables(schema: GraphQLSchema, document: DocumentNode): HoistedDocument {
  if (!holdsObjectOrListWithVariable(document)) return { document, hoisted: [] };
  const taken = variableNamesIn(document);
  const hoisted: HoistedLiteral[] = [];
  const typeInfo = new TypeInfo(schema);
  const variableFor = (literal: ValueNode, type: GraphQLScalarType): VariableNode => {
    let name = `scalarLiteral${hoisted.length}`;
    for (let suffix = 0; taken.has(name); suffix += 1) name = `scalarLiteral${hoisted.length}_${suffix}`;
    taken.add(name);
    hoisted.push({ name, literal, type });
    return { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } };
  };
  const hoist = (literal: ValueNode): ValueNode | undefined => {
    if (!holdsVariable(literal)) return undefined;
    const type = getNullableType(typeInfo.getInputType());
    if (isScalarType(type)) return variableFor(literal, type);
    // One item where a list is wanted is a list of that item (input coercion: `representations:
    // {__typename: "Provider", id: $id}`); a variable there would be taken as the whole list.
    const item = isListType(type) && literal.kind !== Kind.LIST ? getNullableType(type.ofType) : undefined;
    return isScalarType(item) ? { kind: Kind.LIST, values: [variableFor(literal, item)] } : undefined;
  };
  const rewritten = visit(document, visitWithTypeInfo(typeInfo, { ObjectValue: hoist, ListValue: hoist }));
  if (hoisted.length === 0) return { document, hoisted };
  const definitions: VariableDefinitionNode[] = hoisted.map(({ name, type }) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    // Nullable: a literal that parses to null is the field's to refuse, not a variable named by the gateway.
    type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: getNamedType(type).name } },
  }));
  // Every operation: a fragment holding the literal may be spread in any of them.
  const withDefinitions = rewritten.definitions.map((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION ? { ...definition, variableDefinitions: [...(definition.variableDefinitions ?? []), ...definitions] } : definition,
  );
  return { document: { ...rewritten, definitions: withDefinitions }, hoisted };
}

/**
 * The hoisted literals' values for one request: each parsed by its scalar with
 * the request's variables coerced as graphql-js coerces them (the raw ones
 * when they do not coerce: the executor refuses them on its own). Throws a
 * BAD_USER_INPUT GraphQLError when the scalar refuses the literal.
 */
export function hoistedValues(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode | undefined,
  hoisted: readonly HoistedLiteral[],
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 }) : undefined;
  const values: Record<string, unknown> = coerced?.coerced ?? { ...variables };
  const hoistedByName: Record<string, unknown> = {};
  for (const { name, literal, type } of hoisted) {
    try {
      hoistedByName[name] = type.parseLiteral(literal, values);
    } catch (error) {
      const reason = error instanceof Error ? `: ${error.message}` : '';
      throw new GraphQLError(`${print(literal)} is not a valid ${type.name}${reason}`, { nodes: literal, extensions: { code: 'BAD_USER_INPUT' } });
    }
  }
  return hoistedByName;
}

/** Cheap first look, so documents without a variable inside an object or list literal are not walked with types. */
function holdsObjectOrListWithVariable(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    ObjectValue: (node) => {
      if (holdsVariable(node)) found = true;
      return false;
    },
    ListValue: (node) => {
      if (holdsVariable(node)) found = true;
      return false;
    },
  });
  return found;
}

function holdsVariable(literal: ValueNode): boolean {
  switch (literal.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return literal.values.some(holdsVariable);
    case Kind.OBJECT:
      return literal.fields.some((field) => holdsVariable(field.value));
    default:
      return false;
  }
}

function variableNamesIn(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  visit(document, { Variable: (node) => void names.add(node.name.value) });
  return names;
}
