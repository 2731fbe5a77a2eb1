import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { clippedStart } from '../scrubbed-log-text.js';

/**
 * Fields one place of an answer may merge: fields of one response name with
 * arguments or sub-fields, across the selection sets (and fragments) that
 * fill that place. graphql-js's OverlappingFieldsCanBeMerged rule compares
 * them pairwise, sub-fields included: 300 copies of `p { id }` cost it about
 * 160 ms, 1,200 copies of `p(first: 1) { id }` 140 ms, all within the token
 * limit; 100 cost it under 20 ms. Leaf fields alike cost it nothing (it
 * skips identical ones), so they are not counted: a client's fragments
 * often select `id` many times.
 */
export const MAX_MERGED_FIELDS = 100;

/** Field nodes the check reads at most (fragments spread inside fragments multiply them). */
const MAX_FIELDS_READ = 200_000;

const PREFIX = 'Merged fields limit of';

export interface MergedFieldsRefusal {
  message: string;
}

/** A path of the client's own names, kept short in the message (a name may be as long as the body limit allows). */
const MAX_PATH_SHOWN = 200;

/**
 * Whether a query's source could hold more than MAX_MERGED_FIELDS such
 * fields: each has a `{` or a `(`. A dashboard has a few dozen, so the
 * document is parsed a second time only for queries past that.
 */
export function mayMergeTooMany(source: string): boolean {
  let marks = 0;
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if ((code === 123 || code === 40) && ++marks > MAX_MERGED_FIELDS) return true;
  }
  return false;
}

/** A refusal when one place of the answer merges more than MAX_MERGED_FIELDS fields; null otherwise. */
export function mergedFieldsRefusal(document: DocumentNode): MergedFieldsRefusal | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const budget = { fieldsLeft: MAX_FIELDS_READ };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const refusal = checkPlace([definition.selectionSet], '', fragments, budget);
    if (refusal) return refusal;
  }
  return null;
}

interface FieldGroup {
  counted: number;
  selectionSets: SelectionSetNode[];
}

function checkPlace(sets: readonly SelectionSetNode[], path: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>, budget: { fieldsLeft: number }): MergedFieldsRefusal | null {
  const groups = new Map<string, FieldGroup>();
  const collect = (set: SelectionSetNode, spread: ReadonlySet<string>): MergedFieldsRefusal | null => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (--budget.fieldsLeft < 0) return { message: `${PREFIX} ${MAX_MERGED_FIELDS} exceeded: the query spreads its fragments into more than ${MAX_FIELDS_READ} fields.` };
        const key = selection.alias?.value ?? selection.name.value;
        const group = groups.get(key) ?? { counted: 0, selectionSets: [] };
        groups.set(key, group);
        if (selection.selectionSet || (selection.arguments?.length ?? 0) > 0) group.counted++;
        if (selection.selectionSet) group.selectionSets.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const refusal = collect(selection.selectionSet, spread);
        if (refusal) return refusal;
      } else {
        // A fragment that spreads itself is graphql-js's own error (NoFragmentCycles): read it once.
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spread.has(name)) continue;
        const refusal = collect(fragment.selectionSet, new Set([...spread, name]));
        if (refusal) return refusal;
      }
    }
    return null;
  };
  for (const set of sets) {
    const refusal = collect(set, new Set());
    if (refusal) return refusal;
  }
  for (const [key, group] of groups) {
    const at = path === '' ? key : `${path}.${key}`;
    if (group.counted > MAX_MERGED_FIELDS) {
      // clippedStart: the message is logged, whose scrub finds a credential's hex form in an alias only whole.
      const shown = at.length > MAX_PATH_SHOWN ? `${clippedStart(at, MAX_PATH_SHOWN)}...` : at;
      return { message: `${PREFIX} ${MAX_MERGED_FIELDS} exceeded: "${shown}" is selected ${group.counted} times with arguments or sub-fields; select it once.` };
    }
    if (group.selectionSets.length > 0) {
      const refusal = checkPlace(group.selectionSets, at, fragments, budget);
      if (refusal) return refusal;
    }
  }
  return null;
}

/** The refusal as the error a client gets, on every path. */
export const mergedFieldsError = (refusal: MergedFieldsRefusal): GraphQLError => new GraphQLError(refusal.message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
