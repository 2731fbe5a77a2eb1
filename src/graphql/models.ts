import type { Backup, Instance, Operation } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';

/** A provider that failed its part of a list spanning providers (errors as data). */
export interface ProviderErrorModel {
  provider: ProviderAdapter;
  code: string;
  message: string;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  providerErrors: ProviderErrorModel[];
}

export type InstanceConnectionModel = Connection<Instance>;
export type BackupConnectionModel = Connection<Backup>;

/** Payloads are plain data (no adapters inside) so an idempotent replay can store and return them. */
export interface SyncBackupsPayloadModel {
  operation: Operation;
}

export interface BackupOperationPayloadModel {
  operation: Operation;
  backup: Backup | null;
}
