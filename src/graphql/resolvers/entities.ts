import { nextRunOf } from '../../domain/schedule.js';
import type { Backup, BackupDefinition, BackupSchedule, Operation } from '../../domain/types.js';
import { backupIdOfOperation, backupLookedUpBy, backupOfOperation, backupsOfDefinition, definitionOfBackup, instanceOf, instanceOfDeleted, statusOf } from '../../gateway/entity-links.js';
import { answeredOperationId, instanceId } from '../../gateway/ids.js';
import { nodeOfType, nodeTypeOf, nullWhereGone } from '../../gateway/node-lookup.js';
import { protectionReader } from '../../gateway/protection.js';
import { failureOf } from '../../gateway/operation-failure.js';
import { operationAsLookedAt, operationAsShown } from '../../gateway/operation-as-shown.js';
import type { GraphQLContext } from '../context.js';
import { lookedInById, lookupAt, operationAt } from './lookup-paths.js';
import { listAt } from './rows-left-out-paths.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/** The fields every entity of an instance has: its provider account, its instance (Backup, BackupSchedule and BackupDefinition carry their id: entity-own-fields.ts). */
const linkFields = <T extends { providerId: string; instanceNativeId: string | null }>() => ({
  provider: (entity: T, _args: unknown, { reads }: GraphQLContext) => reads.provider(entity.providerId),
  instance: (entity: T, _args: unknown, { reads }: GraphQLContext) => instanceOf(reads, entity),
});

/** Field resolvers of the entity types: ids, links between entities (followed by the gateway), computed fields. */
export const entityResolvers: Resolvers = {
  Node: {
    // The lookup that found the object says what it is.
    __resolveType: (node) => nodeTypeOf(node),
  },
  // id, kind and name are the adapter's own getters (ProviderView): read inline, no call per provider.
  Provider: {
    capabilities: (provider) => [...provider.capabilities],
    // Once this request's own calls to the account have ended: its failures are then in it.
    health: async (provider, _args, { reads }) => {
      await reads.loaders.inFlight.settled(provider.account.id);
      return provider.health();
    },
    healthCause: async (provider, _args, { reads }) => {
      await reads.loaders.inFlight.settled(provider.account.id);
      return provider.healthCause();
    },
    __resolveReference: (reference, { reads }) => reads.findProvider(reference.id),
  },
  Instance: {
    id: (instance) => instanceId(instance),
    provider: (instance, _args, { reads }) => reads.provider(instance.providerId),
    status: (instance, _args, { reads }) => statusOf(reads, instance),
    backups: (instance, _args, { reads }, info) => listAt(reads, 'backups', instance, info, reads.backupsOf(instance)),
    schedules: (instance, _args, { reads }, info) => listAt(reads, 'schedules', instance, info, reads.schedulesOf(instance)),
    definitions: (instance, _args, { reads }, info) => listAt(reads, 'definitions', instance, info, reads.definitionsOf(instance)),
    __resolveReference: (reference, { reads }) => reads.instance(reference.id),
  },
  Backup: {
    ...linkFields<Backup>(),
    raw: (backup) => backup.raw,
    definition: (backup, _args, { reads }, info) =>
      lookupAt(reads, info, definitionOfBackup(reads, backup), () => (backup.instanceNativeId ? { list: 'definitions', providerId: backup.providerId, instanceNativeId: backup.instanceNativeId } : null)),
    __resolveReference: (reference, { reads }, info) => lookupAt(reads, info, nullWhereGone(reads.backup(reference.id)), () => lookedInById(reference.id)),
  },
  BackupSchedule: {
    ...linkFields<BackupSchedule>(),
    // The request's clock, as Instance.protection reads it: one instant per request, so the protection's
    // nextRunAt is one of its schedules' and each cron's run is computed once (nextRunAt's memo holds
    // from the instant it was computed at, and the protection's clock was set before the field's).
    nextRunAt: (schedule, _args, { reads }) => nextRunOf(schedule, protectionReader(reads).now),
    __resolveReference: (reference, { reads }, info) => lookupAt(reads, info, nodeOfType(reads, reference.id, 'BackupSchedule'), () => lookedInById(reference.id)),
  },
  BackupDefinition: {
    ...linkFields<BackupDefinition>(),
    // The contract's retention is non-null: a record that gave none reads 0, and says so beside it
    // (retentionStated, an own field). Kept a resolver: the domain's `retention` is null there.
    retention: (definition) => definition.retention ?? 0,
    // Read from its instance's backups: a row left out of them may have been one of this definition's.
    backups: (definition, _args, { reads }, info) => listAt(reads, 'backups', { providerId: definition.providerId, nativeId: definition.instanceNativeId }, info, backupsOfDefinition(reads, definition)),
    __resolveReference: (reference, { reads }, info) => lookupAt(reads, info, nodeOfType(reads, reference.id, 'BackupDefinition'), () => lookedInById(reference.id)),
  },
  Operation: {
    ...linkFields<Operation>(),
    id: (operation) => answeredOperationId(operation),
    // A running create or delete whose backup this answer's `backup` field finds made or gone reads SUCCEEDED (operation-as-shown.ts).
    status: (operation, _args, { reads }) => (operation.status === 'RUNNING' || operation.status === 'PENDING' ? operationAsLookedAt(reads, operation).then((shown) => shown.status) : operation.status),
    backup: (operation, _args, { reads }, info) => {
      void operationAsShown(reads, operation);
      return lookupAt(reads, info, backupOfOperation(reads, operation), () => backupLookedUpBy(operation));
    },
    backupId: (operation) => backupIdOfOperation(operation),
    errorCode: (operation) => operation.errorCode ?? null,
    failure: (operation) => failureOf(operation),
    providerErrorCode: (operation) => operation.providerErrorCode ?? null,
    finishedAt: async (operation, _args, { reads }) => reads.shared.finishTimes.of(await operationAsLookedAt(reads, operation)),
    __resolveReference: (reference, { reads }, info) => operationAt(reads, info, reads.operation(reference.id)),
  },
  DeletePayload: {
    instance: (payload, _args, { reads }) => instanceOfDeleted(reads, payload.deletedId),
  },
  ProviderError: {
    provider: (error) => error.provider,
  },
};
