import type { Instance } from './types.js';

/** The provider's state word reduced to what a dashboard needs; `Instance.state` keeps the word itself. */
export const INSTANCE_STATUSES = ['RUNNING', 'STOPPED', 'SUSPENDED', 'BUSY', 'UNKNOWN'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

/** One provider's mapping: its state word (and raw record, for providers that say it in flags). */
export type InstanceStatusMapper = (instance: Pick<Instance, 'state' | 'raw'>) => InstanceStatus;

/** Looks a lower-cased word up in a table; UNKNOWN for a word the table does not know. */
export function fromWords(table: Readonly<Record<string, InstanceStatus>>, word: string | null): InstanceStatus {
  if (word === null) return 'UNKNOWN';
  const key = word.trim().toLowerCase();
  // Own keys only: "constructor" would otherwise find Object's.
  return Object.hasOwn(table, key) ? (table[key] as InstanceStatus) : 'UNKNOWN';
}
