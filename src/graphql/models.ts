import type { Backup, Instance } from '../domain/types.js';
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
