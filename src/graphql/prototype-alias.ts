import { GraphQLError, type ValidationRule } from 'graphql';

/** The one response name a plain object cannot take as its own by assignment: it is Object.prototype's accessor. */
const PROTOTYPE_ACCESSOR = '__proto__';

export const prototypeAliasMessage = `The alias "${PROTOTYPE_ACCESSOR}" is not taken here: give the field another alias.`;

/**
 * Refuses a field aliased `__proto__`, valid GraphQL. graphql-jit writes each response key as
 * `object[key] = value`, which for `__proto__` is the prototype setter: a leaf's value was lost,
 * and a field nested under an object aliased so was written through an undefined parent, a
 * TypeError thrown outside any resolver's catch that ended the process (one viewer's
 * `{ instances { edges { __proto__: node { __proto__: id } } } }` stopped the gateway for all).
 * Refused before execution, HTTP and WebSocket alike. Other inherited names (`constructor`,
 * `toString`) are plain data properties and become the answer's own keys as any alias does.
 */
export const prototypeAliasRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value === PROTOTYPE_ACCESSOR) context.reportError(new GraphQLError(prototypeAliasMessage, { nodes: node.alias }));
  },
});
