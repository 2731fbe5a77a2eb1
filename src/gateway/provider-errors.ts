import type { ProviderFailure } from '../domain/connection.js';
import { isGatewayError } from '../domain/errors.js';
import type { ProviderAdapter } from '../providers/adapter.js';

/** A provider's failure as data: a GatewayError's own code and words, else a generic one (no upstream detail leaks). */
export function toProviderError(adapter: ProviderAdapter, reason: unknown): ProviderFailure {
  if (isGatewayError(reason)) return { provider: adapter, code: reason.code, message: reason.message };
  return { provider: adapter, code: 'PROVIDER_ERROR', message: `provider ${adapter.account.id} failed` };
}

/** Runs `load` for each provider at once; failures become providerErrors, the rest answers. */
export async function acrossProviders<T>(adapters: readonly ProviderAdapter[], load: (adapter: ProviderAdapter) => Promise<T[]>): Promise<{ items: T[]; providerErrors: ProviderFailure[] }> {
  const settled = await Promise.allSettled(adapters.map((adapter) => load(adapter)));
  const items: T[] = [];
  const providerErrors: ProviderFailure[] = [];
  settled.forEach((result, index) => {
    const adapter = adapters[index] as ProviderAdapter;
    if (result.status === 'fulfilled') items.push(...result.value);
    else providerErrors.push(toProviderError(adapter, result.reason));
  });
  return { items, providerErrors };
}
