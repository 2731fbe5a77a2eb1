import type { ProviderFailure } from '../domain/connection.js';
import { appendAll } from '../domain/arrays.js';
import { isGatewayError } from '../domain/errors.js';
import type { ProviderAdapter } from '../providers/adapter.js';

/**
 * Where a fault of the gateway's own met while reading a provider (anything
 * but a GatewayError: a bug, a RangeError) is told. As data it is only
 * "provider X failed", so without this it left no trace at all.
 */
export type FaultReport = (adapter: ProviderAdapter, fault: unknown) => void;

/** A provider's failure as data: a GatewayError's own code and words, else a generic one (no upstream detail leaks). */
export function toProviderError(adapter: ProviderAdapter, reason: unknown, reportFault?: FaultReport): ProviderFailure {
  if (isGatewayError(reason)) {
    const { retryAfterSeconds } = reason.details;
    return { provider: adapter, code: reason.code, message: reason.message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  }
  reportFault?.(adapter, reason);
  return { provider: adapter, code: 'PROVIDER_ERROR', message: `provider ${adapter.account.id} failed` };
}

/**
 * One VM's list that failed where the account's other VMs answered: the failure as data, naming
 * the VM by its global id (never its native id, a provider's string) and keeping the provider's code.
 */
export function instanceListError(adapter: ProviderAdapter, list: string, instanceGlobalId: string, reason: unknown, reportFault?: FaultReport): ProviderFailure {
  const failure = toProviderError(adapter, reason, reportFault);
  const providerCode = isGatewayError(reason) ? reason.details.providerCode : undefined;
  return {
    ...failure,
    message: `${list} of instance ${instanceGlobalId} not read (the account's other instances answered): ${failure.message}`,
    instanceId: instanceGlobalId,
    ...(providerCode === undefined ? {} : { providerCode }),
  };
}

/** Runs `load` for each provider at once; failures become providerErrors, the rest answers. */
export async function acrossProviders<T>(
  adapters: readonly ProviderAdapter[],
  load: (adapter: ProviderAdapter) => Promise<T[] | { items: T[]; partial: ProviderFailure[] }>,
  reportFault?: FaultReport,
): Promise<{ items: T[]; providerErrors: ProviderFailure[] }> {
  const settled = await Promise.allSettled(adapters.map((adapter) => load(adapter)));
  const items: T[] = [];
  const providerErrors: ProviderFailure[] = [];
  settled.forEach((result, index) => {
    const adapter = adapters[index] as ProviderAdapter;
    if (result.status === 'rejected') providerErrors.push(toProviderError(adapter, result.reason, reportFault));
    else if (Array.isArray(result.value)) appendAll(items, result.value);
    else {
      appendAll(items, result.value.items);
      appendAll(providerErrors, result.value.partial);
    }
  });
  return { items, providerErrors };
}
