import type { Instance } from '../domain/types.js';

/** An id folded as its account folds ids, or null where it is compared exactly (ProviderAdapter.foldedInstanceId). */
export type InstanceIdFold = (nativeId: string) => string | null;

/**
 * Each folded id of an instance list and the one id listed under it, null where two listed ids
 * fold alike (neither is guessed). Remembered per list object: the read cache hands every request
 * the same list, and a dashboard's lookups by id would fold the whole list for each.
 */
const byFolded = new WeakMap<readonly Instance[], Map<string, string | null>>();

function foldedIndex(instances: readonly Instance[], fold: InstanceIdFold): Map<string, string | null> {
  let index = byFolded.get(instances);
  if (index === undefined) {
    index = new Map();
    for (const instance of instances) {
      const folded = fold(instance.nativeId);
      if (folded === null) continue;
      const held = index.get(folded);
      index.set(folded, held === undefined || held === instance.nativeId ? instance.nativeId : null);
    }
    byFolded.set(instances, index);
  }
  return index;
}

/**
 * The id an account lists for one a client sent, where the account folds ids (Danube's hostnames
 * name one VM whatever their case): so a re-spelt id is answered with the listed instance's own
 * ids, and its reads keyed (loaders, read cache) and sent as the listed ones. Null where it
 * matches no listed id, or several (the caller keeps the id as written).
 */
export function listedInstanceId(instances: readonly Instance[], folded: string, fold: InstanceIdFold): string | null {
  return foldedIndex(instances, fold).get(folded) ?? null;
}
