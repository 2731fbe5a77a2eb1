import { GatewayError, isGatewayError } from '../domain/errors.js';
import { DEFAULT_RPO_HOURS, ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS, protectionOf, type Protection, type ProtectionFacts, type ProtectionStatus } from '../domain/protection.js';
import type { Connection, ProviderFailure } from '../domain/connection.js';
import type { ProviderView } from '../domain/provider-view.js';
import type { InstanceStatus } from '../domain/instance-status.js';
import type { Instance } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { statusOf } from './entity-links.js';
import { checkInteger } from './input-checks.js';
import { loaderKey } from './loaders.js';
import type { PageArgs } from './page-window.js';
import { checkMatchPageArgs, pageOfMatches } from './protection-pages.js';
import { toProviderError } from './provider-errors.js';
import { appendAll } from '../domain/arrays.js';
import { LIST_CAPABILITY, listsOf, type ProviderFilter, type RequestReads } from './request-reads.js';

/** The recovery-point objective from the config: a default and per-account overrides. */
export interface ProtectionSettings {
  rpoHours: number;
  perProvider: Readonly<Record<string, number>>;
  /**
   * How far ahead a backup's date may be and still count, per account
   * (`futureToleranceHoursOf`); an account not named gets the zone-unknown
   * day, the tolerance before accounts were told apart.
   */
  futureToleranceHours?: Readonly<Record<string, number>>;
}

export const DEFAULT_PROTECTION_SETTINGS: ProtectionSettings = { rpoHours: DEFAULT_RPO_HOURS, perProvider: {} };
export const MAX_RPO_HOURS = 87_600;

export interface ProtectionCounts {
  instances: number;
  protected: number;
  stale: number;
  unprotected: number;
  unknown: number;
}

export interface ProviderProtectionModel {
  provider: ProviderView;
  rpoHours: number;
  scheduleKnown: boolean;
  counts: ProtectionCounts;
}

export interface ProtectionSummaryModel {
  counts: ProtectionCounts;
  providers: ProviderProtectionModel[];
  providerErrors: ProviderFailure[];
}

export interface ProtectedInstance {
  instance: Instance;
  protection: Protection;
}

const emptyCounts = (): ProtectionCounts => ({ instances: 0, protected: 0, stale: 0, unprotected: 0, unknown: 0 });
const COUNT_FIELD: Record<ProtectionStatus, Exclude<keyof ProtectionCounts, 'instances'>> = { PROTECTED: 'protected', STALE: 'stale', UNPROTECTED: 'unprotected', UNKNOWN: 'unknown' };

/** A rejected load as an Error the rule can carry (DataLoader rejects with what the batch gave). */
/** A loadMany value as settle gives it: a list, or a failure (anything thrown that is no Error is the provider's). */
const settled = <T>(value: readonly T[] | Error | undefined): readonly T[] | Error =>
  Array.isArray(value) || value instanceof Error ? value : new GatewayError('PROVIDER_ERROR', 'the provider failed');

const settle = <T>(load: Promise<T>): Promise<T | Error> =>
  load.catch((error: unknown) => (error instanceof Error ? error : new GatewayError('PROVIDER_ERROR', 'the provider failed')));

/**
 * Protection of instances, read through the request's loaders: the same
 * DataLoaders, batching and read cache as a dashboard query asking for
 * backups, schedules and definitions, so it costs exactly those upstream calls.
 */
export class ProtectionReader {
  /**
   * The nodes of protection-filtered lists, each with the verdict that put it
   * there. A node's `protection` without its own `rpoHours` answers this one:
   * judged again at the account's objective, a row of
   * `instances(filter: { protection: [PROTECTED], rpoHours: 168 })` said STALE
   * for a backup two days old. Nodes are copies, so the same instance read
   * elsewhere in the request keeps its own verdict.
   */
  private readonly listed = new WeakMap<Instance, Protection>();

  constructor(
    private readonly reads: RequestReads,
    private readonly settings: ProtectionSettings,
    /** The request's clock: its verdicts, and its schedules' `nextRunAt` (entities.ts), are read at this one instant. */
    readonly now: Date = new Date(),
  ) {}

  /** `requested` (an argument) over the account's configured objective over the default. */
  rpoFor(providerId: string, requested?: number | null, argument = 'rpoHours'): number {
    if (requested != null) return checkInteger(requested, argument, 1, MAX_RPO_HOURS);
    return this.settings.perProvider[providerId] ?? this.settings.rpoHours;
  }

  /** `Instance.protection`: the verdict of the filtered list the node came from, unless the field asks its own objective. */
  protectionField(instance: Instance, requestedRpo: number | null): Promise<Protection> | Protection {
    const listed = requestedRpo == null ? this.listed.get(instance) : undefined;
    return listed ?? this.of(instance, requestedRpo);
  }

  async of(instance: Instance, requestedRpo?: number | null): Promise<Protection> {
    const rpoHours = this.rpoFor(instance.providerId, requestedRpo);
    const futureToleranceHours = this.settings.futureToleranceHours?.[instance.providerId] ?? ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS;
    return protectionOf(await this.facts(instance), rpoHours, this.now, futureToleranceHours);
  }

  /**
   * Every instance of the visible accounts, each with its protection; accounts whose instance list failed are providerErrors.
   * `page`: the page the answer will cut, its size and cursors refused before any list is read, not after every account's.
   */
  async across(
    filter: ProviderFilter,
    requestedRpo?: number | null,
    page?: PageArgs,
  ): Promise<{ items: ProtectedInstance[]; answered: ProviderAdapter[]; accounts: string[]; providerErrors: ProviderFailure[] }> {
    if (requestedRpo != null) this.rpoFor('', requestedRpo);
    const adapters = this.reads.providers(filter);
    if (page) checkMatchPageArgs(page, this.reads.shared.options.maxPageSize);
    const settled = await Promise.allSettled(adapters.map((adapter) => this.ofAccount(adapter, requestedRpo)));
    const items: ProtectedInstance[] = [];
    const answered: ProviderAdapter[] = [];
    const providerErrors: ProviderFailure[] = [];
    settled.forEach((result, index) => {
      const adapter = adapters[index] as ProviderAdapter;
      if (result.status === 'rejected') {
        providerErrors.push(toProviderError(adapter, result.reason, this.reads.reportFault));
        return;
      }
      answered.push(adapter);
      appendAll(items, result.value);
      // Instances listed but whose backups or schedules failed: UNKNOWN each, and the account named once.
      const failed = result.value.find((item) => item.protection.error);
      if (failed?.protection.error) providerErrors.push(toProviderError(adapter, failed.protection.error, this.reads.reportFault));
    });
    // Every account asked, failed or not, in the order of `items`: a cursor of one that failed resumes at the next (pageOfMatches).
    return { items, answered, accounts: adapters.map((adapter) => adapter.account.id), providerErrors };
  }

  async summary(filter: ProviderFilter, requestedRpo?: number | null): Promise<ProtectionSummaryModel> {
    const { items, answered, providerErrors } = await this.across(filter, requestedRpo);
    const byProvider = new Map<string, ProviderProtectionModel>(
      answered.map((adapter) => [
        adapter.account.id,
        { provider: adapter, rpoHours: this.rpoFor(adapter.account.id, requestedRpo), scheduleKnown: scheduleKnown(adapter), counts: emptyCounts() },
      ]),
    );
    const counts = emptyCounts();
    for (const { instance, protection } of items) {
      const field = COUNT_FIELD[protection.status];
      for (const target of [counts, byProvider.get(instance.providerId)?.counts]) {
        if (!target) continue;
        target.instances++;
        target[field]++;
      }
    }
    return { counts, providers: [...byProvider.values()], providerErrors };
  }

  /**
   * `instances(filter: { protection })`: the instances in those statuses, paged like `instances`;
   * with `instanceStatuses` (`filter.status`), only those also in one of these states.
   */
  async instancesIn(
    statuses: readonly ProtectionStatus[],
    args: ProviderFilter & PageArgs,
    requestedRpo?: number | null,
    instanceStatuses: ReadonlySet<InstanceStatus> | null = null,
  ): Promise<Connection<Instance>> {
    const wanted = new Set(statuses);
    const { items, accounts, providerErrors } = await this.across({ providerId: args.providerId ?? null, kind: args.kind ?? null }, requestedRpo, args);
    const matching = items.map((item) => wanted.has(item.protection.status) && (!instanceStatuses || instanceStatuses.has(statusOf(this.reads, item.instance))));
    // Paged by place among all instances, not among the matches: see pageOfMatches.
    const all = items.map((item, index) => {
      if (!matching[index]) return item.instance;
      const node = { ...item.instance };
      this.listed.set(node, item.protection);
      return node;
    });
    return pageOfMatches(all, (index) => matching[index] === true, args, this.reads.shared.options.maxPageSize, providerErrors, accounts);
  }

  private async ofAccount(adapter: ProviderAdapter, requestedRpo?: number | null): Promise<ProtectedInstance[]> {
    // As `instances` does for a dashboard: start the reads the lists need while the instance list loads.
    if (!this.reads.shared.readCache?.covers(adapter.account.id)) adapter.prepareLists(listsOf(adapter), this.reads.scope);
    const instances = await this.reads.loaders.instanceList(adapter);
    const facts = await this.factsOfAll(adapter, instances);
    const rpoHours = this.rpoFor(adapter.account.id, requestedRpo);
    const futureToleranceHours = this.settings.futureToleranceHours?.[adapter.account.id] ?? ZONE_UNKNOWN_FUTURE_TOLERANCE_HOURS;
    return instances.map((instance, index) => ({ instance, protection: protectionOf(facts[index] as ProtectionFacts, rpoHours, this.now, futureToleranceHours) }));
  }

  /**
   * As facts, for every instance of one account at once: one loadMany per list rather than an
   * async chain per instance, whose promises for a 150,000-instance account held some 450 MB.
   */
  private async factsOfAll(adapter: ProviderAdapter, instances: readonly Instance[]): Promise<ProtectionFacts[]> {
    const keys = instances.map((instance) => loaderKey(instance.providerId, instance.nativeId));
    const { loaders } = this.reads;
    const [backups, schedules, definitions] = await Promise.all([
      adapter.capabilities.has(LIST_CAPABILITY.backups) ? loaders.backups.loadMany(keys) : null,
      adapter.capabilities.has(LIST_CAPABILITY.schedules) ? loaders.schedules.loadMany(keys) : null,
      adapter.capabilities.has(LIST_CAPABILITY.definitions) ? loaders.definitions.loadMany(keys) : null,
    ]);
    const folding = this.reads.foldDeletesInFlight();
    if (folding) await folding;
    return keys.map((_, index) => {
      const backupList = backups ? settled(backups[index]) : [];
      return {
        backups: Array.isArray(backupList) ? this.reads.deletingHere.list(backupList) : backupList,
        schedules: schedules ? settled(schedules[index]) : null,
        definitions: definitions ? settled(definitions[index]) : null,
      };
    });
  }

  private async facts(instance: Instance): Promise<ProtectionFacts> {
    const adapter = this.reads.provider(instance.providerId);
    const key = loaderKey(instance.providerId, instance.nativeId);
    const { loaders } = this.reads;
    const [backups, schedules, definitions] = await Promise.all([
      adapter.capabilities.has(LIST_CAPABILITY.backups) ? settle(loaders.backups.load(key)) : [],
      adapter.capabilities.has(LIST_CAPABILITY.schedules) ? settle(loaders.schedules.load(key)) : null,
      adapter.capabilities.has(LIST_CAPABILITY.definitions) ? settle(loaders.definitions.load(key)) : null,
    ]);
    // A backup being deleted (by this request, or in the shared record) is no usable one here either:
    // counted AVAILABLE, it stood as the payload's instance's lastBackup under the id the payload read DELETING.
    const folding = this.reads.foldDeletesInFlight();
    if (folding) await folding;
    return { backups: Array.isArray(backups) ? this.reads.deletingHere.list(backups) : backups, schedules, definitions };
  }
}

/** Whether the account lets the gateway see what is scheduled (ZStack does not). */
export const scheduleKnown = (adapter: ProviderAdapter): boolean => adapter.capabilities.has(LIST_CAPABILITY.schedules) || adapter.capabilities.has(LIST_CAPABILITY.definitions);

/** A failure safe to show: a GatewayError's own words, else a generic one. */
export function protectionErrorOf(protection: Protection): { code: string; message: string } | null {
  const error = protection.error;
  if (!error) return null;
  return isGatewayError(error) ? { code: error.code, message: error.message } : { code: 'PROVIDER_ERROR', message: 'the provider failed' };
}

/** One reader per request, so every resolver of it shares the same clock and settings. */
const readers = new WeakMap<RequestReads, ProtectionReader>();
export function protectionReader(reads: RequestReads): ProtectionReader {
  let reader = readers.get(reads);
  if (!reader) {
    reader = new ProtectionReader(reads, reads.shared.options.protection ?? DEFAULT_PROTECTION_SETTINGS);
    readers.set(reads, reader);
  }
  return reader;
}
