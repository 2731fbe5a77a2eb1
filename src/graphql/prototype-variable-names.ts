import { GraphQLError, type ValidationRule } from 'graphql';

/** The names every JavaScript object has (`constructor`, `toString`, `__proto__`, ...). */
const INHERITED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export const inheritedNameMessage = (name: string): string =>
  `Variable "$${name}": a name every JavaScript object has (constructor, toString, valueOf, __proto__, ...) is not taken as a variable name here; give the variable another name.`;

/**
 * Refuses variables named like Object.prototype's properties, valid GraphQL. graphql-jit reads and
 * writes each variable as `object.name`: `$__proto__` sent was written through the prototype setter
 * and lost, and `$constructor` left out was read as Object's own (`[function Object]`) or passed
 * coercion as provided; either way the field ran without it, an internal error (logged as a fault)
 * where the client made the mistake. Refused before execution, HTTP and WebSocket alike.
 */
export const inheritedVariableNameRule: ValidationRule = (context) => ({
  VariableDefinition(node) {
    const name = node.variable.name.value;
    if (INHERITED_NAMES.has(name)) context.reportError(new GraphQLError(inheritedNameMessage(name), { nodes: node }));
  },
});
