import type { Connection } from '../domain/connection.js';
import { GatewayError, notFound } from '../domain/errors.js';
import { INSTANCE_LIST_KINDS, type InstanceListKind } from '../domain/instance-lists.js';
import type { InstanceStatus } from '../domain/instance-status.js';
import type { Backup, BackupDefinition, BackupSchedule, Capability, Instance, Operation, OperationRef } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { UpstreamBudget } from '../upstream/budget.js';
import type { UpstreamScope } from '../upstream/scope.js';
import { applyBackupFilter, checkBackupFilter, type BackupFilterInput } from './backup-filter.js';
import { CacheInvalidation } from './cache-invalidation.js';
import { backupRank } from './backup-order.js';
import { checkDeletesDue } from './delete-check.js';
import { DeletingHere } from './deleting-here.js';
import type { DeletesByAccount } from './deletes-in-flight.js';
import { accountBackupsNewestFirst } from './each-backup-once.js';
import { statusOf } from './entity-links.js';
import { backupId, backupListKey, decodeBackupId, decodeInstanceId, decodeOperationId, findByAddress, instanceId, type EntityAddress } from './ids.js';
import { RequestLoaders, instanceLoaderKey, loaderKey } from './loaders.js';
import { operationAt } from './operation-account.js';
import type { PageArgs } from './page-window.js';
import { checkPageArgs, paginate } from './pagination.js';
import { checkMatchPageArgs, pageOfMatches } from './protection-pages.js';
import type { Principal } from './principal.js';
import { acrossProviders, instanceListErrors, type FaultReport } from './provider-errors.js';
import { InstanceListsFailed } from './instance-lists-failed.js';
import { RowsLeftOut } from './rows-left-out.js';
import { asShownBefore } from './shown-before.js';
import { listedInstanceId } from './listed-instance-id.js';
import { RowsLeftOutBesideLookups } from './lookups-beside-rows-left-out.js';
import type { SharedServices } from './shared-services.js';
import { keyCounts, type RefusalCount } from './secret-text.js';

/**
 * A scope with a budget of its own, whose reads stop when `signal` fires (the client left) or
 * when the budget's answer bytes are passed (UpstreamBudget.signal).
 */
function budgetedScope(requestId: string, shared: SharedServices, signal: AbortSignal | undefined, client: string | undefined, rowsLeftOut?: RowsLeftOut): UpstreamScope {
  const budget = new UpstreamBudget(shared.maxUpstreamCallsPerRequest, shared.maxUpstreamAnswerBytesPerRequest, signal);
  return { requestId, client, budget, signal: budget.signal, rowLeftOut: rowsLeftOut?.note };
}

/** The capability an account declares when it can read each per-instance list. */
export const LIST_CAPABILITY: Readonly<Record<InstanceListKind, Capability>> = { backups: 'LIST_BACKUPS', schedules: 'LIST_SCHEDULES', definitions: 'LIST_DEFINITIONS' };

/** The per-instance lists an account can read. */
export const listsOf = (adapter: ProviderAdapter): Set<InstanceListKind> => new Set(INSTANCE_LIST_KINDS.filter((list) => adapter.capabilities.has(LIST_CAPABILITY[list])));

/** Which provider accounts a list reads: one account, every account of one kind (lower case, as adapters name it), or all. */
export interface ProviderFilter {
  providerId?: string | null;
  kind?: string | null;
}

/**
 * What one GraphQL request (or one protection sweep) reads from the
 * providers, as the principal it runs for: through its own loaders (one
 * batched, cached read per key for the whole request) and its own upstream
 * budget. Never sees GraphQL types; writes go through Mutations, which tell
 * `invalidation` what they changed.
 */
export class RequestReads {
  readonly loaders: RequestLoaders;
  /** What every upstream request made for this GraphQL request carries (its id, its budget of upstream calls). */
  readonly scope: UpstreamScope;
  /** Forgets, after a write, what this request and the read cache knew. */
  readonly invalidation: CacheInvalidation;
  /** Rows of provider lists this request left out for ids the gateway cannot read back: its answer names them (jit-executor.ts). */
  readonly rowsLeftOut: RowsLeftOutBesideLookups;
  /** VMs' lists a root field answered without, the account's others answered: its answer names them (jit-executor.ts). */
  readonly instanceListsFailed = new InstanceListsFailed();
  /** A fault of the gateway's own while reading a provider: logged with the request id (the answer says only "provider X failed"). */
  readonly reportFault: FaultReport = (adapter, fault) =>
    this.shared.logger.error({ err: fault, requestId: this.requestId, provider: adapter.account.id }, 'reading from a provider failed inside the gateway');
  /** Names of the entities looked up one by one (a handful per mutation), kept for audit lines. */
  private readonly namesLookedUp = new Map<string, string>();
  /** Backups this request's deleteBackup left being deleted, and those of the shared record: DELETING wherever this answer shows them. */
  readonly deletingHere = new DeletingHere();
  /** Whether the shared record of deletes in flight is in `deletingHere` yet: its read while Redis answers. */
  private deletesFolded: Promise<void> | boolean = false;

  constructor(
    readonly shared: SharedServices,
    readonly principal: Principal,
    /** The GraphQL request's id (its log and audit lines, and every upstream call it makes, carry it). */
    readonly requestId: string,
    /** Aborted when the client leaves before its answer (see UpstreamScope.signal). */
    signal?: AbortSignal,
    /** Whose turn its upstream calls wait in (UpstreamScope.client, clientTurnOf); none for a protection sweep. */
    client?: string,
    /** Whose idempotency keys its mutations use (idempotencyOwnerOf): its key's identity unless told. */
    readonly idempotencyOwner: string = principal.keyId,
    /** What its writes' refusals for credential text count against (secretTextCountsOf): its key's unless told. */
    readonly secretTextCounts: readonly RefusalCount[] = keyCounts(principal),
  ) {
    this.rowsLeftOut = new RowsLeftOutBesideLookups(shared.rowLeftOutLine);
    this.scope = budgetedScope(requestId, shared, signal, client, this.rowsLeftOut);
    this.loaders = new RequestLoaders((providerId) => this.provider(providerId), {
      scope: this.scope,
      rowsLeftOut: this.rowsLeftOut,
      // Only accounts whose ids are looked up folded (listedInstanceId) ask what was listed.
      onInstanceList: (adapter, instances) => {
        if (adapter.foldedInstanceId) shared.listedIds.listed(adapter.account.id, instances);
      },
      batch: shared.options.batching,
      cache: shared.readCache,
      onBatch: shared.options.onBatch,
      onOperation: (operation) => this.afterOperation(operation),
      beforeOperation: (ref, adapter) => this.vouchFor(ref, adapter),
      vouchForAnswer: (ref, operation, adapter) => this.vouchForAnswer(ref, operation, adapter),
    });
    this.invalidation = new CacheInvalidation(
      this.loaders,
      shared.readCache,
      shared.logger,
      (providerId) => this.provider(providerId),
      (operation) => shared.finishTimes.startedHere(operation),
      (providerId) => shared.announceWrite(providerId),
    );
  }

  /** The request's answer is settled without its reads still under way: they stop (UpstreamBudget.stopReads). */
  stopReads(): void {
    this.scope.budget?.stopReads(new Error('the request was answered without this read'));
  }

  /**
   * A subscription poll's scope: polls go on long after the request, so each
   * carries its id but a budget of its own, as much as a request may spend.
   * Without one, a poll's reads had no bound: a Zomro panel answering one
   * backup a page with a count of 500,000 sent a poll after 499,999 pages.
   * `signal`: the watch's, aborted once no subscriber is left (OperationWatcher).
   */
  private pollScope(signal: AbortSignal): UpstreamScope {
    // Polls are shared by every subscriber of the operation: they wait in the turn of work no client caused.
    return budgetedScope(this.requestId, this.shared, signal, undefined);
  }

  /** An operation read: a delete seen finished ends its shared record, and what it changed is forgotten. */
  private async afterOperation(operation: Operation): Promise<Operation> {
    await this.shared.deletes.seen(operation);
    return this.invalidation.afterOperation(operation);
  }

  /**
   * Puts the shared record of deletes in flight (deletes-in-flight.ts) into `deletingHere`, once
   * per request, before a list of backups is shown: undefined once it is there (at once in memory),
   * else the one read for every visible account (one MGET on Redis), which never fails.
   */
  foldDeletesInFlight(): Promise<void> | undefined {
    if (this.deletesFolded === true) return undefined;
    if (this.deletesFolded !== false) return this.deletesFolded;
    const accounts = this.providers().filter((adapter) => adapter.capabilities.has(LIST_CAPABILITY.backups)).map((adapter) => adapter.account.id);
    const found = this.shared.deletes.read(accounts);
    if (!(found instanceof Promise)) {
      this.fold(found);
      return undefined;
    }
    // Counted as a read of each account (Provider.health waits for it): a read that follows it (a
    // backup's instance, looked up once the backup is shown) starts only once Redis has answered.
    this.deletesFolded = this.loaders.inFlight.track(
      accounts,
      found.then((records) => this.fold(records)),
    );
    return this.deletesFolded;
  }

  private fold(records: DeletesByAccount): void {
    for (const [providerId, deletes] of records) for (const { instance, backup } of deletes) this.deletingHere.markListed(providerId, instance, backup);
    this.deletesFolded = true;
    // Lists poll no operation; a record gone unchecked has its operation looked at once, unwaited.
    if (records.size > 0) {
      checkDeletesDue(records, {
        deletes: this.shared.deletes,
        logger: this.shared.logger,
        requestId: this.requestId,
        findProvider: (providerId) => this.findProvider(providerId),
        scope: () => ({ requestId: this.requestId, budget: new UpstreamBudget(this.shared.maxUpstreamCallsPerRequest, this.shared.maxUpstreamAnswerBytesPerRequest) }),
        afterOperation: (operation) => this.afterOperation(operation),
      });
    }
  }

  /** The accounts this request may see, optionally filtered. */
  providers(filter: ProviderFilter = {}): ProviderAdapter[] {
    return this.shared.providers.visible(this.principal, filter);
  }

  /** One account; NOT_FOUND when it does not exist or this request may not see it. */
  provider(providerId: string): ProviderAdapter {
    return this.shared.providers.get(this.principal, providerId);
  }

  /** One account, or null where `provider` throws NOT_FOUND. */
  findProvider(providerId: string): ProviderAdapter | null {
    return this.shared.providers.find(this.principal, providerId);
  }

  /**
   * `listsWanted`: the per-instance lists the query asks of these instances (adapters may start reads for them now).
   * `statuses` (`filter.status`): only instances in one of them, paged as the protection filter pages its matches.
   */
  async instances(args: ProviderFilter & PageArgs, listsWanted: ReadonlySet<InstanceListKind> = new Set(), statuses: ReadonlySet<InstanceStatus> | null = null): Promise<Connection<Instance>> {
    const adapters = this.providers({ providerId: args.providerId ?? null, kind: args.kind ?? null });
    // A page size out of bounds, or a cursor not from a previous page (each paging its own), is refused before any list is read, not after every account's.
    if (statuses) checkMatchPageArgs(args, this.shared.options.maxPageSize);
    else checkPageArgs(args, this.shared.options.maxPageSize);
    if (listsWanted.size > 0) {
      // Where the read cache holds the lists, a warm one needs no such read: only accounts it does not cover.
      const uncached = adapters.filter((adapter) => !this.shared.readCache?.covers(adapter.account.id));
      for (const adapter of uncached) adapter.prepareLists(listsWanted, this.scope);
    }
    const { items, providerErrors } = await acrossProviders(adapters, (adapter) => this.loaders.instanceList(adapter), this.reportFault);
    const accounts = accountIdsOf(adapters);
    // Cursors by place among all instances, as for `filter.protection`: a VM started between pages moves no other off its page.
    if (statuses) return pageOfMatches(items, (index) => statuses.has(statusOf(this, items[index] as Instance)), args, this.shared.options.maxPageSize, providerErrors, accounts);
    return paginate(items, args, this.shared.options.maxPageSize, providerErrors, instanceId, { accounts, accountOf: accountOfRow });
  }

  async backups(filter: BackupFilterInput | null | undefined, page: PageArgs = {}): Promise<Connection<Backup>> {
    const maxPageSize = this.shared.options.maxPageSize;
    if (filter) checkBackupFilter(filter);
    if (filter?.instanceId) {
      // The other conditions hold too: an instance outside the account or kind named is no match,
      // and, like an instance that does not exist, NOT_FOUND rather than "no backups".
      const named = filter.providerId != null || filter.kind != null ? this.providers({ providerId: filter.providerId ?? null, kind: filter.kind ?? null }) : null;
      checkPageArgs(page, maxPageSize);
      const instance = await this.instance(filter.instanceId);
      if (!instance || (named && !named.some((adapter) => adapter.account.id === instance.providerId))) throw notFound('instance');
      const backups = await this.backupsOf(instance);
      return paginate(applyBackupFilter(backups ?? [], filter), page, maxPageSize, [], backupId, undefined, backupRank);
    }
    const adapters = this.providers({ providerId: filter?.providerId ?? null, kind: filter?.kind ?? null }).filter((adapter) => adapter.capabilities.has(LIST_CAPABILITY.backups));
    // As `instances`: refused before any list is read.
    checkPageArgs(page, maxPageSize);
    const { items, providerErrors } = await acrossProviders(adapters, async (adapter) => {
      const instances = await this.loaders.instanceList(adapter);
      const lists = await this.loaders.backups.loadMany(instances.map((instance) => loaderKey(adapter.account.id, instance.nativeId)));
      const read = instances.flatMap((instance, index) => {
        const list = lists[index];
        return list === undefined || list instanceof Error ? [] : [{ instanceNativeId: instance.nativeId, list }];
      });
      // Every list failing is the account failing (down, refusing the login): named as before.
      const firstFailure = lists.find((list): list is Error => list instanceof Error);
      if (firstFailure && read.length === 0) throw firstFailure;
      // One VM's failing list kept the account's others from the answer: the failed VMs are named instead.
      const failed = instances.flatMap((instance, index) => {
        const list = lists[index];
        return list instanceof Error ? [{ instanceGlobalId: instanceId(instance), reason: list }] : [];
      });
      const partial = instanceListErrors(adapter, 'backups', failed, this.reportFault);
      await this.foldDeletesInFlight();
      // Newest first across all of the account's instances, not only within each; a backup listed
      // under two of them is one row, counted once.
      const items = await accountBackupsNewestFirst(read.map(({ instanceNativeId, list }) => ({ instanceNativeId, backups: this.deletingHere.list(list) })));
      return partial.length === 0 ? items : { items, partial };
    }, this.reportFault);
    return paginate(applyBackupFilter(items, filter ?? {}), page, maxPageSize, providerErrors, backupId, { accounts: accountIdsOf(adapters), accountOf: accountOfRow }, backupRank);
  }

  /** Backups of one instance; [] when its provider does not list backups. */
  backupsOf(instance: Instance): Promise<Backup[]> | Backup[] {
    const backups = this.listOf(instance, 'backups', this.loaders.backups);
    const folding = this.foldDeletesInFlight();
    if (folding) return Promise.all([backups, folding]).then(([list]) => this.deletingHere.list(list));
    if (this.deletingHere.none) return backups;
    return Array.isArray(backups) ? this.deletingHere.list(backups) : backups.then((list) => this.deletingHere.list(list));
  }

  schedulesOf(instance: Instance): Promise<BackupSchedule[]> | BackupSchedule[] {
    return this.listOf(instance, 'schedules', this.loaders.schedules);
  }

  definitionsOf(instance: Instance): Promise<BackupDefinition[]> | BackupDefinition[] {
    return this.listOf(instance, 'definitions', this.loaders.definitions);
  }

  async instance(id: string): Promise<Instance | null> {
    const { providerId, nativeId } = decodeInstanceId(id);
    return this.instanceByNativeId(providerId, nativeId);
  }

  async instanceByNativeId(providerId: string, nativeId: string): Promise<Instance | null> {
    if (!this.findProvider(providerId)) return null;
    const listed = await this.listedInstanceId(providerId, nativeId);
    const instance = await this.loaders.instance.load(loaderKey(providerId, listed));
    if (instance) {
      this.namesLookedUp.set(loaderKey(providerId, listed), instance.name);
      // Audit lines ask by the id the client sent.
      if (listed !== nativeId) this.namesLookedUp.set(loaderKey(providerId, nativeId), instance.name);
    }
    return instance;
  }

  /**
   * An instance id as its account lists it, for one a client sent, where the account's ids name one
   * instance whatever their case (ProviderAdapter.foldedInstanceId: Danube). A client that decoded
   * an id, changed its hostname's case and encoded it again reached Danube's URL, and, where
   * Danube's look-up folds case, the same VM answered under a second global id (its loader and
   * read-cache keys, and every id in the answer, other than the listed VM's); where it does not,
   * NOT_FOUND. Found in the account's instance list (the read cache's, or one read per request),
   * the listed spelling keys the reads and goes to Danube, which finds it either way. Every other
   * kind compares ids exactly: no read. An id the account listed as written lately
   * (RecentlyListedIds) goes with no read: a client sends back the ids the gateway gave it, and
   * with the read cache off each look-up by id read the whole VM list for them.
   */
  async listedInstanceId(providerId: string, nativeId: string): Promise<string> {
    const adapter = this.findProvider(providerId);
    const folded = adapter?.foldedInstanceId?.(nativeId) ?? null;
    if (adapter === null || folded === null) return nativeId;
    // No list read, so nothing to say of a row left out of it (rowsLeftOut.lookedUpIn below).
    if (this.shared.listedIds.has(providerId, nativeId)) return nativeId;
    let instances: readonly Instance[];
    try {
      instances = await this.loaders.instanceList(adapter);
    } catch {
      // The VM list only re-spells an id: its failure must not fail every look-up by id (a delete,
      // a restore, `backup(id:)`) with an error of a read the client never asked for. The id goes
      // as written, as an id listed as it is does; a field that shows the list reports the failure.
      return nativeId;
    }
    const listed = listedInstanceId(instances, folded, (id) => adapter.foldedInstanceId?.(id) ?? null);
    // A row left out of the list cannot be the one listed here: the list was read only to spell the
    // id, so it says nothing beside the look-up (RowsLeftOutBesideLookups), as a backup found does.
    this.rowsLeftOut.lookedUpIn('instances', providerId, null, listed !== null);
    return listed ?? nativeId;
  }

  /** An entity's address with its instance as the account lists it (listedInstanceId); the same object where it already is. */
  private async listedAddress(address: EntityAddress): Promise<EntityAddress> {
    const listed = await this.listedInstanceId(address.providerId, address.instanceNativeId);
    return listed === address.instanceNativeId ? address : { ...address, instanceNativeId: listed };
  }

  /**
   * The name of an instance, or of a backup (give its instance), that this
   * request looked up one by one (what mutations act on), for audit lines;
   * null when it did not. Never reads from a provider.
   */
  nameOf(providerId: string, nativeId: string, backupOfInstance?: string): string | null {
    return this.namesLookedUp.get(backupOfInstance === undefined ? loaderKey(providerId, nativeId) : backupKey(providerId, backupOfInstance, nativeId)) ?? null;
  }

  async backup(id: string): Promise<Backup | null> {
    return this.backupAt(decodeBackupId(id));
  }

  async backupAt(asked: EntityAddress): Promise<Backup | null> {
    if (!this.findProvider(asked.providerId)) return null;
    const address = await this.listedAddress(asked);
    const backup = findByAddress(await this.loaders.backups.load(loaderKey(address.providerId, address.instanceNativeId)), address);
    this.rowsLeftOut.lookedUpIn('backups', address.providerId, address.instanceNativeId, backup !== null);
    if (!backup) return null;
    this.namesLookedUp.set(backupKey(address.providerId, address.instanceNativeId, address.nativeId), backup.name);
    if (address !== asked) this.namesLookedUp.set(backupKey(asked.providerId, asked.instanceNativeId, asked.nativeId), backup.name);
    const folding = this.foldDeletesInFlight();
    if (folding) await folding;
    return this.deletingHere.one(backup);
  }

  /**
   * A backup shown DELETING, looked at again before a restore: `restorable` when only the gateway's
   * record of its delete says DELETING (the provider lists it otherwise) and that delete has FAILED;
   * `provider` when the provider lists it DELETING itself (ZStack deleting, OnApp marked_for_delete,
   * Zomro pending_delete): no retry will help, another backup will; `gateway` in any other case (the
   * delete running or done, its look failing). A record ends when someone polls its operation or a
   * list's check (30 s on) looks: a restore asked before either was refused as "being deleted" while
   * the backup was kept. One look at the operation, which ends the record (afterOperation).
   */
  async deletingBackupLook(asked: EntityAddress): Promise<{ restorable: Backup } | { deleting: 'provider' | 'gateway' }> {
    const address = await this.listedAddress(asked);
    const listed = findByAddress(await this.loaders.backups.load(loaderKey(address.providerId, address.instanceNativeId)), address);
    this.rowsLeftOut.lookedUpIn('backups', address.providerId, address.instanceNativeId, listed !== null);
    if (!listed) return { deleting: 'gateway' };
    if (listed.status === 'DELETING') return { deleting: 'provider' };
    const records = (await this.shared.deletes.read([address.providerId])).get(address.providerId) ?? [];
    const record = records.find((held) => held.instance === (listed.instanceNativeId ?? '') && held.backup === backupListKey(listed));
    if (!record) return { deleting: 'gateway' };
    const operation = await this.loaders.operation.load(record.operation).catch(() => null);
    if (operation?.kind !== 'DELETE_BACKUP' || operation.status !== 'FAILED') return { deleting: 'gateway' };
    // The rest of this answer shows the backup as the restore does (the provider's word), not as the record folded in before.
    this.deletingHere.unmarkListed(address.providerId, record.instance, record.backup);
    return { restorable: listed };
  }

  async scheduleAt(asked: EntityAddress): Promise<BackupSchedule | null> {
    if (!this.findProvider(asked.providerId)) return null;
    const address = await this.listedAddress(asked);
    const schedule = findByAddress(await this.loaders.schedules.load(loaderKey(address.providerId, address.instanceNativeId)), address);
    this.rowsLeftOut.lookedUpIn('schedules', address.providerId, address.instanceNativeId, schedule !== null);
    return schedule;
  }

  async definitionAt(asked: EntityAddress): Promise<BackupDefinition | null> {
    if (!this.findProvider(asked.providerId)) return null;
    const address = await this.listedAddress(asked);
    const definition = findByAddress(await this.loaders.definitions.load(loaderKey(address.providerId, address.instanceNativeId)), address);
    this.rowsLeftOut.lookedUpIn('definitions', address.providerId, address.instanceNativeId, definition !== null);
    return definition;
  }

  async operation(id: string): Promise<Operation | null> {
    const ref = decodeOperationId(id);
    return this.findProvider(ref.providerId) ? this.loaders.operation.load(id) : null;
  }

  /**
   * No record of starting this operation. Without REDIS_URL the records live in this process, so a
   * real operation reads so after a restart too: the words say why, or the user hunts a bug.
   */
  private notStartedHere(providerId: string): GatewayError {
    return this.shared.store.forgetsOnRestart
      ? new GatewayError('NOT_FOUND', "operation started by this gateway not found: without REDIS_URL it keeps what it started in memory, so a restart forgets it; to see what it did, list the instance's backups (a create's backup there, a delete's gone) or read the instance's status (BUSY while a restore runs)", { provider: providerId })
      : notFound('operation started by this gateway', providerId);
  }

  /**
   * An operation whose every status rests on the gateway's record of starting it (any ZStack or
   * Danube one: a Danube one done at once has only its id, one naming any listed VM read
   * SUCCEEDED; a job's or task's answer is any operation's) is told only where a mutation of this
   * gateway started it, asked before any provider call: a made-up job or task id (404, as an
   * expired one) cost a poll and a backup-list read per id a client wrote. Asked of the shared
   * store, so another replica's start counts; an id answered before the record existed (an older
   * version, a memory store's restart) is NOT_FOUND too, as a cancel of it is.
   */
  private async vouchFor(ref: OperationRef, adapter: ProviderAdapter): Promise<boolean> {
    if (!adapter.toldOnlyWhereStarted(ref)) return false;
    const record = await this.shared.startedOperations.recordOf(ref, adapter.account.id, 'read');
    if (record === 'none') throw this.notStartedHere(adapter.account.id);
    // The same record says whether an answer beside its backup already showed it SUCCEEDED (markShownSucceeded).
    return record === 'shownSucceeded';
  }

  /**
   * An answer beside its backup showed the operation SUCCEEDED while its job or task read running
   * (operation-as-shown.ts): noted on its start record, so the next read, without `backup` or on
   * another replica, reads SUCCEEDED too (shown-before.ts). Only where every read asks that record
   * anyway (a ZStack job, a Danube task: toldOnlyWhereStarted); an OnApp or Zomro status is read
   * from the very list that showed it, so a later read finds the same.
   */
  async markShownSucceeded(operation: Operation): Promise<void> {
    const adapter = this.findProvider(operation.providerId);
    // Its finish time kept too (FinishTimes.of), so the later reads answer this answer's finishedAt, asked for or not.
    if (adapter?.toldOnlyWhereStarted(operation)) await Promise.all([this.shared.startedOperations.markShownSucceeded(operation), this.shared.finishTimes.of(operation)]);
  }

  /**
   * A SUCCEEDED that rests only on its target no longer being listed (Operation.succeededByAbsence:
   * a delete read from a made-up ZStack job or Danube task, which answer 404 as an expired one does,
   * or any Zomro or OnApp delete) is told only where a mutation of this gateway started it: any id
   * naming a listed VM and a backup it does not list read SUCCEEDED. So is any status read from a
   * job or task whose answer does not say it is this operation (Operation.jobUnconfirmed: any
   * ZStack or Danube operation so read, a sync's too): an id written around another operation's
   * job or task (a create's, a restore's, another backup's delete, any of them as a sync) read that
   * one's RUNNING, SUCCEEDED or FAILED as this operation's. And so is any status nothing at the
   * provider bears out (Operation.noTraceAtProvider: a Zomro or OnApp delete whose backup is still
   * listed, an OnApp restore with no transaction, an OnApp create whose backup is not listed): an
   * id naming any listed backup read RUNNING, and its answer showed the backup DELETING. Asked before the
   * read is passed on, so a forged one ends no delete record and forgets no cached list. As
   * vouchFor: another replica's start counts, an id answered before the record existed is NOT_FOUND.
   */
  private async vouchForAnswer(ref: OperationRef, operation: Operation, adapter: ProviderAdapter): Promise<void> {
    // Vouched for before the read (vouchFor): the record is not asked twice.
    if (adapter.toldOnlyWhereStarted(ref)) return;
    const byAbsence = operation.status === 'SUCCEEDED' && operation.succeededByAbsence === true;
    if (!byAbsence && operation.jobUnconfirmed !== true && operation.noTraceAtProvider !== true) return;
    if (!(await this.shared.startedOperations.wasStarted(ref, adapter.account.id, 'read'))) throw this.notStartedHere(adapter.account.id);
  }

  /**
   * Every status change of an operation until it ends, from one shared poll
   * loop per operation. The loop polls with the scope of the request that
   * started it; later subscribers to the same operation share those polls.
   */
  operationUpdates(id: string): AsyncIterableIterator<Operation> {
    const { ref, adapter } = operationAt(id, (providerId) => this.provider(providerId));
    return this.shared.watcher.watch(
      id,
      async (signal) => {
        const shownSucceeded = await this.vouchFor(ref, adapter);
        const read = await adapter.getOperation(ref, this.pollScope(signal));
        await this.vouchForAnswer(ref, read, adapter);
        const operation = shownSucceeded ? asShownBefore(read) : read;
        return { ...(await this.afterOperation(operation)), askedId: id };
      },
      (operation) => this.forgetReadsOf(operation),
    );
  }

  /**
   * Each status of a subscription is answered with its loaders, which live as long as it does:
   * what they read for an earlier status (its backup CREATING) must not answer a later one. The
   * poll loop's invalidation reaches only the loaders of the subscriber that started it, so a
   * second subscriber was told SUCCEEDED with the backup still CREATING.
   */
  private forgetReadsOf(operation: Operation): void {
    // Heard finished, here or from the replica that polls (over Redis): reads of the account this
    // replica has in flight were asked before the end, and this status's own reads must not join
    // them (the poller forgets its own in `afterOperation`; a follower had told SUCCEEDED with the
    // backup CREATING).
    if (operation.status === 'SUCCEEDED' || operation.status === 'FAILED') this.findProvider(operation.providerId)?.upstream.forgetFlights();
    if (operation.kind === 'SYNC_BACKUPS') this.loaders.forgetAllLists();
    else if (operation.instanceNativeId) this.loaders.forgetInstance(operation.providerId, operation.instanceNativeId);
  }

  /** A list from the read cache comes back as it is, not in a promise (see RequestLoaders.warmList). */
  private listOf<T>(instance: Instance, list: InstanceListKind, loader: { load(key: string): Promise<T[]> }): Promise<T[]> | T[] {
    if (!this.provider(instance.providerId).capabilities.has(LIST_CAPABILITY[list])) return [];
    return this.loaders.warmList<T>(list, instance) ?? loader.load(instanceLoaderKey(instance));
  }
}

/** The accounts a list merges, in the order acrossProviders appends their rows. */
const accountIdsOf = (adapters: readonly ProviderAdapter[]): string[] => adapters.map((adapter) => adapter.account.id);
const accountOfRow = (row: { providerId: string }): string => row.providerId;

const backupKey = (providerId: string, instanceNativeId: string, nativeId: string): string => `${loaderKey(providerId, instanceNativeId)}\u0000${nativeId}`;
