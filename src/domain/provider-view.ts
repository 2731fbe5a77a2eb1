import type { Capability, ProviderHealth, ProviderHealthCause } from './types.js';

/**
 * What the GraphQL layer may know of a provider account: who it is, what it
 * can do, how it fares. Adapters satisfy it as they are (structurally), so
 * resolvers hold the adapter only through this view: no upstream client, no
 * methods that call the provider, no credentials.
 */
export interface ProviderView {
  readonly account: { readonly id: string; readonly kind: string; readonly name: string };
  /** The account's id, kind as the schema's enum word (upper case) and name: served as they are, no resolver. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  health(): ProviderHealth;
  /** Why health is not UP; null while UP. */
  healthCause(): ProviderHealthCause | null;
}
