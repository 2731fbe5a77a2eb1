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
 * The most VMs of one account named by their own entry where their lists failed and the
 * account's others answered: the rest are one entry counting them. One entry (and one error at
 * the field's path) per failed VM made a `backups(first: 1)` answer as many errors as the
 * provider listed failing VMs (thousands, of one throttling its reads midway or a hostile one),
 * times each alias of the field.
 */
export const MOST_INSTANCE_FAILURES_NAMED = 10;

/** A VM's list that failed: its instance's global id and why. */
export interface InstanceListFailure {
  instanceGlobalId: string;
  reason: unknown;
}

/**
 * The VMs' lists that failed where the account's other VMs answered, as data: the first
 * MOST_INSTANCE_FAILURES_NAMED each naming its VM by its global id (never its native id, a
 * provider's string) and keeping the provider's code; any more as one entry counting them, in the
 * words of the first of them.
 */
export function instanceListErrors(adapter: ProviderAdapter, list: string, failures: readonly InstanceListFailure[], reportFault?: FaultReport): ProviderFailure[] {
  const named = failures.slice(0, MOST_INSTANCE_FAILURES_NAMED).map(({ instanceGlobalId, reason }) => {
    const failure = instanceListFailure(adapter, reason, reportFault);
    return { ...failure, message: `${list} of instance ${instanceGlobalId} not read (the account's other instances answered): ${failure.message}`, instanceId: instanceGlobalId };
  });
  const more = failures.slice(MOST_INSTANCE_FAILURES_NAMED);
  const first = more[0];
  if (first === undefined) return named;
  const failure = instanceListFailure(adapter, first.reason, reportFault);
  return [...named, { ...failure, message: `${list} of ${more.length} more instances not read (the account's other instances answered), the first: ${failure.message}`, moreInstances: more.length }];
}

/** One VM list's failure as data, with the provider's code where it carries one. */
function instanceListFailure(adapter: ProviderAdapter, reason: unknown, reportFault?: FaultReport): ProviderFailure {
  const failure = toProviderError(adapter, reason, reportFault);
  const providerCode = isGatewayError(reason) ? reason.details.providerCode : undefined;
  return providerCode === undefined ? failure : { ...failure, providerCode };
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
