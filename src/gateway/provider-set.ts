import { GatewayError } from '../domain/errors.js';
import type { Capability } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { canSeeProvider, type Principal } from './principal.js';

/** The configured provider accounts, in config order. */
export class ProviderSet {
  private readonly byId: Map<string, ProviderAdapter>;

  constructor(readonly all: readonly ProviderAdapter[]) {
    this.byId = new Map(all.map((adapter) => [adapter.account.id, adapter]));
  }

  /**
   * The accounts `principal` may see, optionally filtered. A filter naming an
   * account that does not exist (or that the principal may not see) is
   * NOT_FOUND, as `get` says: an empty answer to a mistyped id read as "no
   * instances", and in the protection view as "nothing unprotected". So is a
   * kind no visible account has (an alert on one kind's counts went quiet
   * when its account was removed or a key scoped away from it), and an id
   * and kind that do not go together.
   */
  visible(principal: Principal, filter: { providerId?: string | null; kind?: string | null } = {}): ProviderAdapter[] {
    if (filter.providerId != null && !this.find(principal, filter.providerId)) throw new GatewayError('NOT_FOUND', NO_SUCH_PROVIDER_FILTER);
    const visible = this.all.filter(
      (adapter) =>
        canSeeProvider(principal, adapter.account.id) &&
        (filter.providerId == null || adapter.account.id === filter.providerId) &&
        (filter.kind == null || adapter.account.kind === filter.kind),
    );
    if (filter.kind != null && visible.length === 0) {
      const kind = filter.kind.toUpperCase();
      throw new GatewayError('NOT_FOUND', filter.providerId == null ? noAccountOfKind(principal, kind) : `provider ${filter.providerId} is not of kind ${kind}`);
    }
    return visible;
  }

  /**
   * The account named by `providerId`. One the principal may not see is
   * NOT_FOUND, exactly like one that does not exist: a scoped key learns
   * nothing of other providers, not even their ids.
   */
  get(principal: Principal, providerId: string): ProviderAdapter {
    const adapter = this.byId.get(providerId);
    if (!adapter || !canSeeProvider(principal, providerId)) throw new GatewayError('NOT_FOUND', NO_SUCH_PROVIDER);
    return adapter;
  }

  find(principal: Principal, providerId: string): ProviderAdapter | null {
    const adapter = this.byId.get(providerId);
    return adapter && canSeeProvider(principal, providerId) ? adapter : null;
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((adapter) => adapter.close()));
  }
}

/**
 * Every global id carries the account id of the config that made it: an id copied from the demo
 * (`zomro-demo`) to a gateway on `--simulators` (`zomro-sim`) or a real config was a bare "no such
 * provider", read as a missing provider company. Neither the id nor whether it exists is named.
 */
export const NO_SUCH_PROVIDER =
  'no such provider: the account it names is not one this key may see (an id names an account of the config that made it: one from the demo or another config does not work here)';

/**
 * A `providerId` argument is an account id, typed rather than copied from an answer: where to read
 * the ones this key may use is what helps (`zomro-demo` sent to a gateway on `--simulators`, whose
 * account is `zomro-sim`). Neither the id nor whether it exists is named.
 */
export const NO_SUCH_PROVIDER_FILTER =
  'no such provider: providerId names no account this key may see; `providers { id }` lists those it may (an account of the demo or of another config does not work here)';

/**
 * A kind no account the principal may see has. To a scoped key, "no provider account of kind ZSTACK"
 * read as the config having none: the words say it is this key that sees none, the same whether the
 * config has such an account or not, so they tell nothing of accounts out of its scope.
 */
const noAccountOfKind = (principal: Principal, kind: string): string =>
  principal.providers === null ? `no provider account of kind ${kind}` : `no provider account of kind ${kind} that this key may see; \`providers { id kind }\` lists the accounts it may`;

/**
 * Where an account does what was refused another way, the refusal names that way: an account whose
 * schedules belong to its backup definitions (Danube) answered createBackupSchedule with "does not
 * support CREATE_SCHEDULE" alone, read as "cannot be scheduled".
 */
const ANOTHER_WAY: Partial<Record<Capability, { needs: Capability; words: string }>> = {
  CREATE_SCHEDULE: { needs: 'CREATE_DEFINITION', words: 'its schedules are those of backup definitions: createBackupDefinition with a cron' },
  DELETE_SCHEDULE: { needs: 'DELETE_DEFINITION', words: 'its schedules are those of backup definitions: deleteBackupDefinition, or updateBackupDefinition with another cron' },
};

/** Refuses, before any upstream request, what the account cannot do. */
export function requireCapability(adapter: ProviderAdapter, capability: Capability): void {
  if (!adapter.capabilities.has(capability)) {
    const instead = ANOTHER_WAY[capability];
    const hint = instead !== undefined && adapter.capabilities.has(instead.needs) ? `; ${instead.words}` : '';
    throw new GatewayError('UNSUPPORTED', `provider ${adapter.account.id} does not support ${capability}${hint}`, {
      provider: adapter.account.id,
      capability,
    });
  }
}
