import { unsupported } from '../domain/errors.js';
import type { InstanceListKind } from '../domain/instance-lists.js';
import type { Backup, BackupDefinition, BackupSchedule, Capability, CreateBackupRequest, CreateDefinitionRequest, CreateScheduleRequest, Instance, Operation, OperationRef, ProviderHealth, ProviderHealthCause, RestoreBackupRequest, UpdateDefinitionRequest } from '../domain/types.js';
import type { ProviderKind } from './registry.js';
import type { UpstreamClient } from '../upstream/client.js';
import { healthCauseOf } from '../upstream/health-cause.js';
import type { UpstreamScope } from '../upstream/scope.js';

/** One configured provider account, as adapters see it (credentials stay inside the adapter). */
export interface ProviderAccount {
  id: string;
  kind: ProviderKind;
  name: string;
  /** IANA zone for schedules and zone-less provider dates. */
  timezone: string;
  /**
   * The API's base URL as configured: origin and path alone (the config refuses a `user:password@`,
   * `?query` or `#fragment`), so it names where the account is, never a credential. The protection
   * sweep's Redis keys tell deployments apart by it (sweep-keys.ts).
   */
  url: string;
}

/**
 * A batch answer: one element per requested key, in the same order. An Error
 * element fails that key alone (DataLoader semantics).
 */
export type BatchResult<T> = Array<T | Error>;

// Re-exported while the gateway still imports them from here; domain/instance-lists.ts is their home.
export { INSTANCE_LIST_KINDS, type InstanceListKind } from '../domain/instance-lists.js';

/** A mutation's input value a provider may hold to its own limits: the argument's name, what it is, its value. */
export interface ProviderInputField {
  argument: string;
  kind: 'DEFINITION_NAME' | 'BACKUP_NODE' | 'ZPOOL' | 'DEFINITION_DESCRIPTION';
  value: string;
}

/**
 * What the gateway asks of a provider. Adapters extend `BaseAdapter`, override
 * the methods for the capabilities they declare, and never see GraphQL.
 *
 * Batch methods take many keys and make as few upstream calls as the
 * provider's API allows: one call for many VMs where the API can filter by a
 * set or list everything, bounded-concurrency calls per VM where it cannot.
 */
export interface ProviderAdapter {
  readonly account: ProviderAccount;
  /** The account's id, kind as the schema's enum word (upper case) and name (BaseAdapter's getters; ProviderView). */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly upstream: UpstreamClient;
  /** How long a backup may take to be made or deleted before its operation is FAILED, where the kind has such a bound (Zomro, OnApp). */
  readonly backupGiveUpMs?: number;

  listInstances(scope: UpstreamScope): Promise<Instance[]>;
  /**
   * Called as a request starts its instance list, with the per-instance lists
   * the query will ask for next: an adapter whose lists need a read that does
   * not depend on the instance list (OnApp: the account's disks) starts it
   * now, so it overlaps the list instead of adding a round trip after it.
   */
  prepareLists(kinds: ReadonlySet<InstanceListKind>, scope: UpstreamScope): void;
  /**
   * Where the provider's instance ids name one instance whatever their case (Danube's hostnames),
   * the id folded so, for the gateway to find the instance listed under it; null where ids are
   * compared exactly (every other kind), or this one is no id the provider could list. Optional:
   * absent is null.
   */
  foldedInstanceId?(nativeId: string): string | null;
  /**
   * Throws BAD_USER_INPUT for input the provider refuses whatever the instance (a name over its
   * limit), called before any call is made for the mutation. Optional: absent takes everything.
   */
  refuseInput?(fields: readonly ProviderInputField[]): void;
  /** Batch: instances by native id; null where the provider has none. */
  getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>>;
  /** Batch: every backup of each instance. */
  listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>>;
  listSchedules(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupSchedule[]>>;
  listDefinitions(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupDefinition[]>>;

  createBackup(request: CreateBackupRequest, scope: UpstreamScope): Promise<Operation>;
  deleteBackup(backup: Backup, scope: UpstreamScope): Promise<Operation>;
  restoreBackup(request: RestoreBackupRequest, scope: UpstreamScope): Promise<Operation>;
  /** `storageId`: a provider storage to sync from; null means the account's default. */
  syncBackups(storageId: string | null, scope: UpstreamScope): Promise<Operation>;
  updateBackupNote(backup: Backup, note: string, scope: UpstreamScope): Promise<Backup>;
  /** Reads the provider's state again: operation ids carry everything needed. */
  getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation>;
  /** Asks the provider to stop a running operation (CANCEL_OPERATION), then reads its state again. */
  cancelOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation>;
  /**
   * Whether every status getOperation could tell of this id rests on the gateway's record of
   * starting it (a Danube operation done at once has no task, and every ZStack job's or Danube
   * task's answer is any operation's): asked before any provider call, so an id no mutation
   * recorded costs the provider nothing. May refuse an id no read could take (BAD_USER_INPUT), as
   * getOperation would.
   */
  toldOnlyWhereStarted(ref: OperationRef): boolean;

  createSchedule(request: CreateScheduleRequest, scope: UpstreamScope): Promise<BackupSchedule>;
  deleteSchedule(schedule: BackupSchedule, scope: UpstreamScope): Promise<void>;
  createDefinition(request: CreateDefinitionRequest, scope: UpstreamScope): Promise<BackupDefinition>;
  updateDefinition(request: UpdateDefinitionRequest, scope: UpstreamScope): Promise<BackupDefinition>;
  deleteDefinition(definition: BackupDefinition, scope: UpstreamScope): Promise<void>;

  health(): ProviderHealth;
  /** Why health is not UP, as the API says it; null while UP. */
  healthCause(): ProviderHealthCause | null;
  close(): Promise<void>;
}

/**
 * Defaults for everything a provider may lack. The gateway checks
 * `capabilities` before calling, so these only run when an adapter declares a
 * capability it does not implement: a bug, refused as UNSUPPORTED all the same.
 */
export abstract class BaseAdapter implements ProviderAdapter {
  abstract readonly capabilities: ReadonlySet<Capability>;

  constructor(
    readonly account: ProviderAccount,
    readonly upstream: UpstreamClient,
  ) {}

  /*
   * The account's id, kind (the schema's enum word) and name, read from the adapter itself so the
   * schema's Provider.id/kind/name need no resolver (graphql-jit reads them inline; ProviderView).
   * Getters on the prototype: every adapter keeps the hidden class its constructor gave it.
   */
  get id(): string {
    return this.account.id;
  }

  get kind(): string {
    return this.account.kind.toUpperCase();
  }

  get name(): string {
    return this.account.name;
  }

  abstract listInstances(scope: UpstreamScope): Promise<Instance[]>;

  prepareLists(_kinds: ReadonlySet<InstanceListKind>, _scope: UpstreamScope): void {}

  /**
   * For a provider with no per-instance read: one listing answers every id. Every adapter here
   * overrides it with `instancesAsked` (rows-asked.ts) or a query by id: mapped here, a row of a VM
   * not asked whose id cannot be read back is told of as left out of the account's list, an error
   * beside a lookup that answered every VM asked.
   * Of a record the listing repeats, the first, as lists keep it
   * (loaders.ts): a Map built from the list kept the last, so an instance
   * read by id could show other fields than the row that listed it.
   */
  async getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>> {
    const byId = new Map<string, Instance>();
    for (const instance of await this.listInstances(scope)) if (!byId.has(instance.nativeId)) byId.set(instance.nativeId, instance);
    return nativeIds.map((id) => byId.get(id) ?? null);
  }

  abstract listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>>;
  abstract getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation>;

  toldOnlyWhereStarted(_ref: OperationRef): boolean {
    return false;
  }

  listSchedules(instanceIds: readonly string[], _scope: UpstreamScope): Promise<BatchResult<BackupSchedule[]>> {
    return Promise.resolve(instanceIds.map(() => []));
  }

  listDefinitions(instanceIds: readonly string[], _scope: UpstreamScope): Promise<BatchResult<BackupDefinition[]>> {
    return Promise.resolve(instanceIds.map(() => []));
  }

  createBackup(_request: CreateBackupRequest, _scope: UpstreamScope): Promise<Operation> {
    return this.refuse('CREATE_BACKUP');
  }

  deleteBackup(_backup: Backup, _scope: UpstreamScope): Promise<Operation> {
    return this.refuse('DELETE_BACKUP');
  }

  restoreBackup(_request: RestoreBackupRequest, _scope: UpstreamScope): Promise<Operation> {
    return this.refuse('RESTORE_BACKUP');
  }

  syncBackups(_storageId: string | null, _scope: UpstreamScope): Promise<Operation> {
    return this.refuse('SYNC_BACKUPS');
  }

  cancelOperation(_ref: OperationRef, _scope: UpstreamScope): Promise<Operation> {
    return this.refuse('CANCEL_OPERATION');
  }

  updateBackupNote(_backup: Backup, _note: string, _scope: UpstreamScope): Promise<Backup> {
    return this.refuse('UPDATE_BACKUP_NOTE');
  }

  createSchedule(_request: CreateScheduleRequest, _scope: UpstreamScope): Promise<BackupSchedule> {
    return this.refuse('CREATE_SCHEDULE');
  }

  deleteSchedule(_schedule: BackupSchedule, _scope: UpstreamScope): Promise<void> {
    return this.refuse('DELETE_SCHEDULE');
  }

  createDefinition(_request: CreateDefinitionRequest, _scope: UpstreamScope): Promise<BackupDefinition> {
    return this.refuse('CREATE_DEFINITION');
  }

  updateDefinition(_request: UpdateDefinitionRequest, _scope: UpstreamScope): Promise<BackupDefinition> {
    return this.refuse('UPDATE_DEFINITION');
  }

  deleteDefinition(_definition: BackupDefinition, _scope: UpstreamScope): Promise<void> {
    return this.refuse('DELETE_DEFINITION');
  }

  health(): ProviderHealth {
    return this.upstream.health();
  }

  healthCause(): ProviderHealthCause | null {
    return healthCauseOf(this.upstream.healthReport());
  }

  close(): Promise<void> {
    return this.upstream.close();
  }

  /** For lists a provider answers one instance at a time: one call per instance, a bounded number queued at once. */
  protected perInstance<R>(instanceIds: readonly string[], task: (instanceId: string) => Promise<R>, refusedBefore?: () => Error | null): Promise<Array<R | Error>> {
    return mapWithConcurrency(instanceIds, PER_INSTANCE_CONCURRENCY, task, refusedBefore);
  }

  /**
   * An Operation of this account at `status` now: finished ones get a
   * finishedAt (when the gateway saw them finished, and not before startedAt). `providerOperationId`
   * is the provider's job, task or transaction id, where it has one.
   */
  protected operation(ref: OperationDraft, status: Operation['status'], providerOperationId: string | null = null, error: string | null = null): Operation {
    const finished = status === 'SUCCEEDED' || status === 'FAILED';
    // Never before startedAt, which is the clock of the replica that started it: this one's may be behind.
    const finishedAt = finished ? new Date(Math.max(Date.now(), ref.startedAt.getTime())) : null;
    return { ...ref, providerId: this.account.id, status, finishedAt, error, providerOperationId };
  }

  /** SUCCEEDED from the target no longer listed alone (Operation.succeededByAbsence): no provider job vouches for it. */
  protected succeededByAbsence(ref: OperationDraft, providerOperationId: string | null = null): Operation {
    return { ...this.operation(ref, 'SUCCEEDED', providerOperationId), succeededByAbsence: true };
  }

  /** A status nothing the provider answered bears out (Operation.noTraceAtProvider): told only for an operation the gateway started. */
  protected withNoTrace(operation: Operation): Operation {
    return { ...operation, noTraceAtProvider: true };
  }

  private refuse(capability: Capability): Promise<never> {
    return Promise.reject(unsupported(this.account.id, capability));
  }
}

/** An operation's reference before the adapter stamps its account on it. */
export type OperationDraft = Omit<OperationRef, 'providerId'> & { providerId?: string };

/**
 * Per-instance lists: the account's concurrency cap (maxConcurrency) is the
 * real limit; this only bounds how many calls one batch queues at once.
 */
const PER_INSTANCE_CONCURRENCY = 256;

/**
 * Runs `task` over `items` with at most `limit` in flight; keeps order. `refusedBefore`: an error
 * each item still to start gets instead of its task (a task whose first step is an upstream call
 * the request's budget would refuse: see UpstreamBudget.refusalOfFurtherCalls).
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>, refusedBefore?: () => Error | null): Promise<Array<R | Error>> {
  const results: Array<R | Error> = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const refused = refusedBefore?.();
      if (refused) {
        results[index] = refused;
        continue;
      }
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
