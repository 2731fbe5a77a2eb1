import type { Operation } from '../../domain/types.js';
import { auditSubjects } from '../../gateway/audit-subjects.js';
import { runMutation } from '../../gateway/mutation-runner.js';
import type { MutationName } from '../../gateway/mutations.js';
import { protectionReader } from '../../gateway/protection.js';
import { INSTANCE_LIST_KINDS, type InstanceListKind } from '../../providers/adapter.js';
import type { GraphQLContext } from '../context.js';
import { selectedNodeFields } from '../lookahead.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/** Every mutation: audit line, and idempotency when the input has a key. */
const guarded = <T>(context: GraphQLContext, operation: MutationName, input: object, act: () => Promise<T>): Promise<T> =>
  runMutation(
    {
      idempotency: context.gateway.gateway.idempotency,
      audit: context.gateway.gateway.audit,
      principal: context.gateway.principal,
      requestId: context.requestId,
      authorize: () => context.mutations.authorize(operation, input as Record<string, unknown>),
      subjects: (result) => ({ ...auditSubjects(context.gateway, input as Record<string, unknown>, result) }),
    },
    operation,
    input as Record<string, unknown>,
    act,
  );

/** Which per-instance lists a query's instance nodes ask for (`protection` reads all three). */
const listsWanted = (fields: ReadonlySet<string>): Set<InstanceListKind> => new Set(INSTANCE_LIST_KINDS.filter((kind) => fields.has(kind) || fields.has('protection')));

const lowerKind = (kind: string | null | undefined) => (kind ? (kind.toLowerCase() as 'zomro' | 'onapp' | 'zstack' | 'danube') : null);

/** Query and Mutation: arguments in, gateway calls out. */
export const rootResolvers: Resolvers = {
  Query: {
    node: (_root, { id }, { gateway }) => gateway.node(id),
    providers: (_root, _args, { gateway }) => gateway.providers(),
    instances: (_root, args, { gateway }, info) => {
      const query = { providerId: args.providerId ?? null, kind: lowerKind(args.kind), first: args.first ?? null, after: args.after ?? null };
      if (args.filter?.protection?.length) return protectionReader(gateway).instancesIn(args.filter.protection, query, args.filter.rpoHours ?? null);
      return gateway.instances(query, listsWanted(selectedNodeFields(info)));
    },
    instance: (_root, { id }, { gateway }) => gateway.instance(id),
    backups: (_root, { filter, first, after }, { gateway }) =>
      gateway.backups(filter ? { ...filter, kind: lowerKind(filter.kind) } : null, first ?? null, after ?? null),
    backup: (_root, { id }, { gateway }) => gateway.backup(id),
    operation: (_root, { id }, { gateway }) => gateway.operation(id),
  },
  Mutation: {
    createBackup: (_root, { input }, context) => guarded(context, 'createBackup', input, () => context.mutations.createBackup(input)),
    deleteBackup: (_root, { input }, context) => guarded(context, 'deleteBackup', input, () => context.mutations.deleteBackup(input)),
    restoreBackup: (_root, { input }, context) => guarded(context, 'restoreBackup', input, () => context.mutations.restoreBackup(input)),
    syncBackups: (_root, { input }, context) => guarded(context, 'syncBackups', input, () => context.mutations.syncBackups(input)),
    createBackupSchedule: (_root, { input }, context) =>
      guarded(context, 'createBackupSchedule', input, async () => ({ schedule: await context.mutations.createBackupSchedule(input) })),
    deleteBackupSchedule: (_root, { input }, context) =>
      guarded(context, 'deleteBackupSchedule', input, async () => ({ deletedId: await context.mutations.deleteBackupSchedule(input) })),
    createBackupDefinition: (_root, { input }, context) =>
      guarded(context, 'createBackupDefinition', input, async () => ({ definition: await context.mutations.createBackupDefinition(input) })),
    updateBackupDefinition: (_root, { input }, context) =>
      guarded(context, 'updateBackupDefinition', input, async () => ({ definition: await context.mutations.updateBackupDefinition(input) })),
    deleteBackupDefinition: (_root, { input }, context) =>
      guarded(context, 'deleteBackupDefinition', input, async () => ({ deletedId: await context.mutations.deleteBackupDefinition(input) })),
    updateBackupNote: (_root, { input }, context) =>
      guarded(context, 'updateBackupNote', input, async () => ({ backup: await context.mutations.updateBackupNote(input) })),
    cancelOperation: (_root, { input }, context) => guarded(context, 'cancelOperation', input, () => context.mutations.cancelOperation(input)),
  },
  Subscription: {
    operationUpdated: {
      subscribe: (_root, { id }, { gateway }) => gateway.operationUpdates(id),
      resolve: (operation: Operation) => operation,
    },
  },
  SyncBackupsPayload: {
    provider: (payload, _args, { gateway }) => gateway.provider(payload.operation.providerId),
  },
};

