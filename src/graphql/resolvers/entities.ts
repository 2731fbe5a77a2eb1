import { describeCron, nextRunAt } from '../../domain/schedule.js';
import type { Backup, BackupSchedule, Instance } from '../../domain/types.js';
import { backupId, definitionId, instanceId, operationId, scheduleId } from '../../gateway/ids.js';
import { instanceStatus } from '../../providers/instance-status.js';
import type { GraphQLContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';

const toKind = (kind: string) => kind.toUpperCase() as 'ZOMRO' | 'ONAPP' | 'ZSTACK' | 'DANUBE';

const instanceOf = (entity: { providerId: string; instanceNativeId: string | null }, context: GraphQLContext): Promise<Instance | null> | null =>
  entity.instanceNativeId ? context.gateway.instanceByNativeId(entity.providerId, entity.instanceNativeId) : null;

/** Field resolvers of the entity types: ids, links between entities, computed fields. */
export const entityResolvers: Resolvers = {
  Node: {
    // Shapes of the domain types differ in fields only they have.
    __resolveType: (node) => {
      if ('account' in node) return 'Provider';
      if ('startedAt' in node) return 'Operation';
      if ('schedule' in node) return 'BackupDefinition';
      if ('cron' in node) return 'BackupSchedule';
      if ('status' in node) return 'Backup';
      return 'Instance';
    },
  },
  Provider: {
    id: (adapter) => adapter.account.id,
    kind: (adapter) => toKind(adapter.account.kind),
    name: (adapter) => adapter.account.name,
    capabilities: (adapter) => [...adapter.capabilities],
    health: (adapter) => adapter.health(),
  },
  Instance: {
    id: (instance) => instanceId(instance),
    provider: (instance, _args, context) => context.gateway.provider(instance.providerId),
    status: (instance, _args, context) => instanceStatus(context.gateway.provider(instance.providerId).account.kind, instance),
    backups: (instance, _args, context) => context.gateway.backupsOf(instance),
    schedules: (instance, _args, context) => context.gateway.schedulesOf(instance),
    definitions: (instance, _args, context) => context.gateway.definitionsOf(instance),
    __resolveReference: (reference, context) => context.gateway.instance(reference.id),
  },
  Backup: {
    id: (backup) => backupId(backup),
    provider: (backup, _args, context) => context.gateway.provider(backup.providerId),
    instance: (backup, _args, context) => instanceOf(backup, context),
    raw: (backup) => backup.raw,
    definition: async (backup, _args, context) => {
      if (!backup.definitionName || !backup.instanceNativeId) return null;
      const instance = await context.gateway.instanceByNativeId(backup.providerId, backup.instanceNativeId);
      const definitions = instance ? await context.gateway.definitionsOf(instance) : [];
      return definitions.find((definition) => definition.name === backup.definitionName && String(definition.diskId) === (backup.diskId ?? String(definition.diskId))) ?? null;
    },
    __resolveReference: (reference, context) => context.gateway.backup(reference.id),
  },
  BackupSchedule: {
    id: (schedule) => scheduleId(schedule),
    provider: (schedule, _args, context) => context.gateway.provider(schedule.providerId),
    instance: (schedule, _args, context) => instanceOf(schedule, context),
    weekdays: (schedule) => summary(schedule).weekdays,
    time: (schedule) => summary(schedule).time,
    nextRunAt: (schedule) => nextRunAt(schedule.cron, schedule.timezone),
    __resolveReference: (reference, context) => context.gateway.node(reference.id) as Promise<BackupSchedule | null>,
  },
  BackupDefinition: {
    id: (definition) => definitionId(definition),
    provider: (definition, _args, context) => context.gateway.provider(definition.providerId),
    instance: (definition, _args, context) => instanceOf(definition, context),
    backups: async (definition, _args, context) => {
      const instance = await context.gateway.instanceByNativeId(definition.providerId, definition.instanceNativeId);
      const backups: Backup[] = instance ? await context.gateway.backupsOf(instance) : [];
      return backups.filter((backup) => backup.definitionName === definition.name);
    },
    __resolveReference: async (reference, context) => {
      const node = await context.gateway.node(reference.id);
      return node && 'schedule' in node ? node : null;
    },
  },
  Operation: {
    id: (operation) => operationId(operation),
    provider: (operation, _args, context) => context.gateway.provider(operation.providerId),
    instance: (operation, _args, context) => instanceOf(operation, context),
    backup: (operation, _args, context) =>
      operation.backupNativeId && operation.instanceNativeId
        ? context.gateway.backupAt({
            providerId: operation.providerId,
            instanceNativeId: operation.instanceNativeId,
            nativeId: operation.backupNativeId,
            keyExtra: operation.backupKeyExtra ?? [],
          })
        : null,
    __resolveReference: (reference, context) => context.gateway.operation(reference.id),
  },
  ProviderError: {
    provider: (error) => error.provider,
  },
};

/** describeCron parses the cron (cron-parser + luxon); a dashboard repeats a few crons many times. */
const summaries = new Map<string, ReturnType<typeof describeCron>>();
const MAX_SUMMARIES = 10_000;
function summary(schedule: BackupSchedule): ReturnType<typeof describeCron> {
  let cached = summaries.get(schedule.cron);
  if (!cached) {
    try {
      cached = describeCron(schedule.cron);
    } catch {
      cached = { weekdays: [], time: null };
    }
    if (summaries.size >= MAX_SUMMARIES) summaries.clear();
    summaries.set(schedule.cron, cached);
  }
  return cached;
}
