import type { ProviderView } from './provider-view.js';
import type { Backup, Instance } from './types.js';

/** A provider that failed its part of a list spanning providers (errors as data). */
export interface ProviderFailure {
  provider: ProviderView;
  code: string;
  message: string;
  /** When asking again may help (a provider's Retry-After, a refused login's hold). */
  retryAfterSeconds?: number;
  /**
   * The instance (its global id) whose own list failed, where the account's other instances
   * answered (the root `backups` field): the error is also told at the field's path.
   */
  instanceId?: string;
  /**
   * Where the account's failed instance lists were more than those named one by one
   * (MOST_INSTANCE_FAILURES_NAMED): how many more this entry counts, told at the field's path too.
   */
  moreInstances?: number;
  /** The provider's own code where the failure carries one (told in that error's extensions). */
  providerCode?: string;
}

/** One page of a list gathered across providers, with the providers that could not answer. */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  providerErrors: ProviderFailure[];
}

export type InstanceConnection = Connection<Instance>;
export type BackupConnection = Connection<Backup>;
