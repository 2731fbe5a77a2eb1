import { notFound } from '../domain/errors.js';
import type { Capability, OperationKind, OperationRef } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { decodeOperationId } from './ids.js';

/** The capability under which a provider starts operations of each kind: none other does. */
const STARTED_UNDER: Readonly<Record<OperationKind, Capability>> = {
  CREATE_BACKUP: 'CREATE_BACKUP',
  DELETE_BACKUP: 'DELETE_BACKUP',
  RESTORE_BACKUP: 'RESTORE_BACKUP',
  SYNC_BACKUPS: 'SYNC_BACKUPS',
};

/** Whether the account starts operations of this kind at all (its module's capabilities). */
export const startsOperationsOf = (adapter: ProviderAdapter, kind: OperationKind): boolean => adapter.capabilities.has(STARTED_UNDER[kind]);

/**
 * An operation id decoded, with the account it names. An id of a kind the account never starts
 * (a sync at Zomro, OnApp or Danube) names nothing: NOT_FOUND before any provider call. Without
 * this each adapter read it as one of the kinds it has (Zomro and OnApp a sync as a create, by a
 * listed backup's status; Danube by a task's), and had to know to refuse it.
 * `accountOf`: the account lookup of the caller, NOT_FOUND for one this request may not see.
 */
export function operationAt(id: string, accountOf: (providerId: string) => ProviderAdapter, argument = 'id'): { ref: OperationRef; adapter: ProviderAdapter } {
  const ref = decodeOperationId(id, argument);
  const adapter = accountOf(ref.providerId);
  if (!startsOperationsOf(adapter, ref.kind)) throw notFound(`${ref.kind} operation (provider ${adapter.account.id} starts none)`, adapter.account.id);
  return { ref, adapter };
}
