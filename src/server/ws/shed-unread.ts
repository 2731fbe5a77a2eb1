import type { SubscribePayload } from 'graphql-ws';
import type { OperationDefinitionNode } from 'graphql';

/** A subscribe message's payload as graphql-ws holds it (its type says read-only; it is the parsed message). */
type HeldPayload = { variables?: Readonly<Record<string, unknown>> | null; extensions?: Readonly<Record<string, unknown>> | null };

/**
 * graphql-ws keeps each operation's whole subscribe message until the operation ends, parsed,
 * and a subscription may never end. HeldText bounds its text, but parsed JSON of small values
 * is some 20 times its text: 20 subscriptions (one per connection of one anonymous address)
 * with 1 MiB of `[{},{},...]` in `extensions` held 465 MB of heap. The gateway reads nothing of a
 * subscribe's extensions past its checks (`persistedQuery`, read before), nor variables its operation
 * does not declare: both are let go here.
 * Returns the variables the operation runs with.
 */
export function shedUnread(payload: SubscribePayload, operation: OperationDefinitionNode): Record<string, unknown> | null {
  const held = payload as HeldPayload;
  const sent = held.variables;
  // fromEntries: own fields even for a variable named `__proto__`, which an assignment would take as the prototype.
  const kept = sent ? Object.fromEntries((operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value).filter((name) => Object.hasOwn(sent, name)).map((name) => [name, sent[name]])) : null;
  held.variables = kept;
  held.extensions = null;
  return kept;
}
