import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

export const INTROSPECTION_DISABLED_MESSAGE = 'Introspection is disabled on this gateway: set `introspection: true` in the config to allow __schema and __type.';

/**
 * Refuses `__schema` and `__type` (as Apollo's own rule does) with a message
 * that names the config key; `__typename` stays allowed, clients need it.
 */
export const introspectionDisabledRule: ValidationRule = (context: ValidationContext) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError(INTROSPECTION_DISABLED_MESSAGE, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } }));
    }
  },
});
