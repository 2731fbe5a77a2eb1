import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** How much of a client's operation name a refusal quotes: it may be as long as the body. */
const QUOTED_NAME_CHARACTERS = 100;

/**
 * Whether `source` could hold a subscription whose root selection carries `@skip` or `@include`:
 * only then is the document walked. Names are whole tokens in GraphQL (no escapes), so a
 * document without these three words holds no such selection.
 */
export function mayDirectSubscriptionRoot(source: string): boolean {
  return source.includes('subscription') && (source.includes('skip') || source.includes('include'));
}

/**
 * `@skip` or `@include` in the root selection of a subscription, BAD_USER_INPUT before
 * validation; null when the document has none. graphql-js 16's SingleFieldSubscriptions rule
 * collects a subscription's root fields with no variables, so such a directive whose `if` is a
 * variable made validation throw instead of answering (HTTP 500 "internal error", WebSocket
 * closed 4500, an error line with a stack each time), for any document holding such a
 * subscription, even when another operation of it was the one asked for; and `@skip(if: true)`
 * left the subscription no root field, which graphql-js's subscribe took for a fault of its own
 * (TypeError, 4500). The GraphQL spec's current draft and graphql-js 17 refuse both in validation,
 * with these words: a subscription's one root field is the event stream, and cannot be left out.
 */
export function subscriptionRootDirectiveRefusal(document: DocumentNode): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'subscription') continue;
    if (rootSelectionDirected(definition.selectionSet, fragments)) return refusal(definition);
  }
  return null;
}

/** Whether a selection of the root selection set, or of the fragments it spreads there, carries `@skip` or `@include`. Walked with a stack and each fragment once. */
function rootSelectionDirected(root: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  const pending: SelectionSetNode[] = [root];
  const visited = new Set<string>();
  for (let set = pending.pop(); set !== undefined; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.directives?.some((directive) => directive.name.value === 'skip' || directive.name.value === 'include')) return true;
      if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return false;
}

function refusal(operation: OperationDefinitionNode): GraphQLError {
  const name = operation.name ? `Subscription "${operation.name.value.slice(0, QUOTED_NAME_CHARACTERS)}"` : 'Anonymous Subscription';
  return new GraphQLError(`${name} must not use \`@skip\` or \`@include\` directives in the top level selection.`, {
    nodes: [operation],
    extensions: { code: 'BAD_USER_INPUT' },
  });
}
