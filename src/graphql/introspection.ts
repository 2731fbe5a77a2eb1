import type { ApolloServerPlugin } from '@apollo/server';
import { operationChecksPlugin, type OperationCheck } from './operation-checks.js';
import { GraphQLError, visit, type DocumentNode, type FieldNode } from 'graphql';
import { hasRole, type Principal } from '../gateway/principal.js';
import type { GraphQLContext } from './context.js';

export const INTROSPECTION_DISABLED_MESSAGE = 'Introspection (__schema and __type) needs an admin key on this gateway, or `introspection: true` in the config.';

/** `__typename` is not among them: clients need it, and it shows nothing of the schema. */
const INTROSPECTION_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

/**
 * Apollo hands back the same DocumentNode for a query text it has parsed before (its document
 * store), so a warm dashboard's request costs one lookup here, not a walk.
 */
const introspectionFieldsByDocument = new WeakMap<DocumentNode, readonly FieldNode[]>();

/**
 * Every `__schema` and `__type` field of the document, wherever it stands: under an alias (the
 * field's name is still its own), in a fragment or an inline fragment, in an operation other
 * than the one run (the validation rule this replaced refused the whole document too).
 */
export function introspectionFieldsOf(document: DocumentNode): readonly FieldNode[] {
  const cached = introspectionFieldsByDocument.get(document);
  if (cached) return cached;
  const fields: FieldNode[] = [];
  visit(document, {
    Field(node) {
      if (INTROSPECTION_FIELDS.has(node.name.value)) fields.push(node);
    },
  });
  introspectionFieldsByDocument.set(document, fields);
  return fields;
}

/** The refusal of a document's introspection to this caller; null when it may run. */
export type IntrospectionCheck = (document: DocumentNode, principal: Principal) => GraphQLError | null;

/**
 * With `introspection: false` only admin keys introspect (as `_service { sdl }` in pipeline.ts:
 * the same role check, so an anonymous caller counts as admin only where anonymousRole is admin).
 * A check per request, not a validation rule: Apollo validates a query text once and keeps the
 * answer for whoever sends it next.
 */
export function introspectionCheck(introspection: boolean): IntrospectionCheck {
  if (introspection) return () => null;
  return (document, principal) => {
    if (hasRole(principal, 'admin')) return null;
    const fields = introspectionFieldsOf(document);
    if (fields.length === 0) return null;
    return new GraphQLError(INTROSPECTION_DISABLED_MESSAGE, { nodes: fields, extensions: { code: 'BAD_USER_INPUT' } });
  };
}

/**
 * The check on Apollo's side, at didResolveOperation: it runs for every request (GET, POST, a
 * persisted query by its hash), a document from Apollo's cache too, and before anything executes.
 */
export function introspectionCheckForApollo(check: IntrospectionCheck): OperationCheck<GraphQLContext> {
  return ({ document, contextValue }) => {
    const refusal = check(document, contextValue.reads.principal);
    // 400, as the validation error it used to be; Apollo takes `http` off before the answer.
    return refusal && new GraphQLError(refusal.message, { nodes: refusal.nodes, extensions: { ...refusal.extensions, http: { status: 400 } } });
  };
}

/** The check alone as a plugin; the gateway runs it first among the others of `operationChecksPlugin`. */
export const introspectionPlugin = (check: IntrospectionCheck): ApolloServerPlugin<GraphQLContext> => operationChecksPlugin([introspectionCheckForApollo(check)]);
