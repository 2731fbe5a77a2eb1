import type { Resolvers } from '../generated/resolvers-types.js';

const lowerKind = (kind: string | null | undefined) => (kind ? (kind.toLowerCase() as 'zomro' | 'onapp' | 'zstack' | 'danube') : null);

/** Query and Mutation: arguments in, gateway calls out. */
export const rootResolvers: Resolvers = {
  Query: {
    node: (_root, { id }, { gateway }) => gateway.node(id),
    providers: (_root, _args, { gateway }) => gateway.providers(),
    instances: (_root, args, { gateway }) =>
      gateway.instances({ providerId: args.providerId ?? null, kind: lowerKind(args.kind), first: args.first ?? null, after: args.after ?? null }),
    instance: (_root, { id }, { gateway }) => gateway.instance(id),
    backups: (_root, { filter, first, after }, { gateway }) =>
      gateway.backups(filter ? { ...filter, kind: lowerKind(filter.kind) } : null, first ?? null, after ?? null),
    backup: (_root, { id }, { gateway }) => gateway.backup(id),
    operation: (_root, { id }, { gateway }) => gateway.operation(id),
  },
  Mutation: {
    createBackup: (_root, { input }, { mutations }) => mutations.createBackup(input),
    deleteBackup: (_root, { input }, { mutations }) => mutations.deleteBackup(input),
    restoreBackup: (_root, { input }, { mutations }) => mutations.restoreBackup(input),
    syncBackups: (_root, { input }, { mutations }) => mutations.syncBackups(input),
    createBackupSchedule: async (_root, { input }, { mutations }) => ({ schedule: await mutations.createBackupSchedule(input) }),
    deleteBackupSchedule: async (_root, { input }, { mutations }) => ({ deletedId: await mutations.deleteBackupSchedule(input) }),
    createBackupDefinition: async (_root, { input }, { mutations }) => ({ definition: await mutations.createBackupDefinition(input) }),
    updateBackupDefinition: async (_root, { input }, { mutations }) => ({ definition: await mutations.updateBackupDefinition(input) }),
    deleteBackupDefinition: async (_root, { input }, { mutations }) => ({ deletedId: await mutations.deleteBackupDefinition(input) }),
    updateBackupNote: async (_root, { input }, { mutations }) => ({ backup: await mutations.updateBackupNote(input) }),
  },
  SyncBackupsPayload: {
    provider: (payload, _args, { gateway }) => gateway.provider(payload.operation.providerId),
  },
};

