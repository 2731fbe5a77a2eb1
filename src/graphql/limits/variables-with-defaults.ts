import { valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

type Variables = Readonly<Record<string, unknown>>;

/**
 * The variables as the operation will run with them: each one the request
 * leaves out takes its default from the document
 * (`query($r: [_Any!] = [...]) { _entities(representations: $r) ... }`).
 * The cost counted only the variables sent, so a list written as a default
 * ran 500 representations at the price of one. A variable sent, null too,
 * keeps its value: graphql-js takes the default only for one left out.
 */
export function variablesWithDefaults(operation: OperationDefinitionNode, variables: Variables): Variables {
  const defaults = (operation.variableDefinitions ?? []).filter((definition) => definition.defaultValue !== undefined && !Object.hasOwn(variables, definition.variable.name.value));
  if (defaults.length === 0) return variables;
  const withDefaults: Record<string, unknown> = { ...variables };
  for (const definition of defaults) {
    // defaultValue is there: filtered above. A const value, so no variables are needed to read it.
    if (definition.defaultValue) withDefaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return withDefaults;
}
