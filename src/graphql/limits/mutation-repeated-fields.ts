import { GraphQLError, Kind, getOperationAST, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { GatewayError } from '../../domain/errors.js';
import { clippedStart } from '../scrubbed-log-text.js';

/** Field nodes the check reads at most: fragments spread inside fragments multiply them. */
const MAX_FIELDS_READ = 200_000;

/**
 * The refusal of a mutation whose payload asks for one field under two response names (an alias
 * repeating a field: `definition { a: backups { raw } b: backups { raw } }`), told before it acts;
 * null otherwise. A mutation's answer is never refused once it has acted (it says what acted), and
 * the records it holds as what acted are never cut past `limits.maxAnswerBytes`
 * (mutation-answer-cut.ts), so each such alias repeated them whole: `updateBackupDefinition`
 * with 30 aliases of its definition's `backups { raw }` was answered 1.35 MB past a 1 MiB limit,
 * and against a hostile provider's 32 MiB list 30 times that. Root fields are each their own act
 * and `__typename` is a short name, so neither counts.
 */
export function repeatedMutationField(document: DocumentNode, operationName: string | null | undefined): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation || operation.operation !== 'mutation') return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let read = 0;
  // Places of the answer: the selection sets that fill each, merged as execution merges them.
  const pending: Array<{ sets: readonly SelectionSetNode[]; root: boolean }> = [{ sets: [operation.selectionSet], root: true }];
  while (pending.length > 0) {
    const { sets, root } = pending.pop()!;
    const byKey = new Map<string, FieldNode[]>();
    const keyOfName = new Map<string, string>();
    const spread = new Set<string>();
    const queue = [...sets];
    while (queue.length > 0) {
      for (const selection of queue.pop()!.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) queue.push(selection.selectionSet);
        else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          // Spread once per place: a second spread of it selects the same keys again.
          if (fragment && !spread.has(fragment.name.value)) {
            spread.add(fragment.name.value);
            queue.push(fragment.selectionSet);
          }
        } else {
          if (++read > MAX_FIELDS_READ) return refusal('the document selects too many fields to tell');
          const key = selection.alias?.value ?? selection.name.value;
          const name = selection.name.value;
          const known = keyOfName.get(name);
          if (!root && name !== '__typename' && known !== undefined && known !== key) return refusal(`\`${clip(known)}\` and \`${clip(key)}\` both ask for \`${clip(name)}\``);
          keyOfName.set(name, key);
          const fields = byKey.get(key);
          if (fields) fields.push(selection);
          else byKey.set(key, [selection]);
        }
      }
    }
    for (const fields of byKey.values()) {
      const below = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
      if (below.length > 0) pending.push({ sets: below, root: false });
    }
  }
  return null;
}

/** A client's name, kept short in the message (a name may be as long as the body limit allows); clippedStart, as the log line's scrub finds a credential's hex form only whole. */
const clip = (name: string): string => (name.length > 60 ? `${clippedStart(name, 57)}...` : name);

function refusal(what: string): GraphQLError {
  const message = `A mutation's answer may ask for each field once (${what}): an answer that has acted is never refused, so one repeated under aliases is refused before anything acts (limits.maxAnswerBytes). Ask for each field once; read more with a query.`;
  return new GraphQLError(message, { originalError: new GatewayError('QUERY_TOO_COMPLEX', message) });
}
