import { PROTECTION_STATUSES } from '../../domain/protection.js';
import type { RowListName } from '../../domain/row-left-out.js';
import type { Operation } from '../../domain/types.js';
import { nullWhereGone } from '../../gateway/node-lookup.js';
import { protectionReader } from '../../gateway/protection.js';
import { updatesAsShown } from '../../gateway/updates-as-shown.js';
import { selectedFieldsAt, selectedNodeFields } from '../lookahead.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { lookedInById, lookupAt, nodeAt, operationAt } from './lookup-paths.js';
import { EVERY_LIST, instanceListsAt, instanceListsFailedAt, listsAt } from './rows-left-out-paths.js';
import { allowedValues, guarded, kindFilter, listsWanted, pageArgs } from './arguments.js';

/** The lists `Query.backups` answers from: each account's instances and their backups. */
const BACKUPS_READ: ReadonlySet<RowListName> = new Set(['instances', 'backups']);

/** Query and Mutation: arguments in, gateway calls out. */
export const rootResolvers: Resolvers = {
  Query: {
    node: (_root, { id }, { reads }, info) => nodeAt(reads, info, id),
    providers: (_root, _args, { reads }) => reads.providers(),
    instances: (_root, args, { reads }, info) => {
      const query = { providerId: args.providerId ?? null, kind: kindFilter(args.kind), ...pageArgs(args, info) };
      const rpoHours = args.filter?.rpoHours ?? null;
      // Checked with or without statuses: an objective out of range is a mistake either way, never ignored.
      if (rpoHours != null) protectionReader(reads).rpoFor('', rpoHours, 'filter.rpoHours');
      // An objective without statuses is every status at that objective: listed plainly, each node's
      // `protection` said the account's verdict, not the one the filter asked for.
      const protection = allowedValues(args.filter?.protection, 'filter.protection') ?? (rpoHours != null ? PROTECTION_STATUSES : null);
      const statuses = allowedValues(args.filter?.status, 'filter.status');
      const statusSet = statuses ? new Set(statuses) : null;
      // Which instances match read every list of each: a row left out of any may have changed the page.
      if (protection) return listsAt(reads, EVERY_LIST, info, protectionReader(reads).instancesIn(protection, query, rpoHours, statusSet), args);
      return instanceListsAt(reads, info, reads.instances(query, listsWanted(selectedNodeFields(info)), statusSet), args);
    },
    instance: (_root, { id }, { reads }) => reads.instance(id),
    backups: (_root, args, { reads }, info) =>
      listsAt(reads, BACKUPS_READ, info, instanceListsFailedAt(reads, info, reads.backups(args.filter ? { ...args.filter, kind: kindFilter(args.filter.kind), status: allowedValues(args.filter.status, 'filter.status') } : null, pageArgs(args, info))), args.filter),
    backup: (_root, { id }, { reads }, info) => lookupAt(reads, info, nullWhereGone(reads.backup(id)), () => lookedInById(id)),
    operation: (_root, { id }, { reads }, info) => operationAt(reads, info, reads.operation(id)),
  },
  Mutation: {
    createBackup: (_root, { input }, context, info) => guarded(context, info, 'createBackup', input, () => context.mutations.createBackup(input)),
    deleteBackup: (_root, { input }, context, info) => guarded(context, info, 'deleteBackup', input, () => context.mutations.deleteBackup(input)),
    restoreBackup: (_root, { input }, context, info) => guarded(context, info, 'restoreBackup', input, () => context.mutations.restoreBackup(input)),
    syncBackups: (_root, { input }, context, info) => guarded(context, info, 'syncBackups', input, () => context.mutations.syncBackups(input)),
    createBackupSchedule: (_root, { input }, context, info) => guarded(context, info, 'createBackupSchedule', input, async () => ({ schedule: await context.mutations.createBackupSchedule(input) })),
    deleteBackupSchedule: (_root, { input }, context, info) => guarded(context, info, 'deleteBackupSchedule', input, async () => ({ deletedId: await context.mutations.deleteBackupSchedule(input) })),
    createBackupDefinition: (_root, { input }, context, info) => guarded(context, info, 'createBackupDefinition', input, async () => ({ definition: await context.mutations.createBackupDefinition(input) })),
    updateBackupDefinition: (_root, { input }, context, info) => guarded(context, info, 'updateBackupDefinition', input, async () => ({ definition: await context.mutations.updateBackupDefinition(input) })),
    deleteBackupDefinition: (_root, { input }, context, info) => guarded(context, info, 'deleteBackupDefinition', input, async () => ({ deletedId: await context.mutations.deleteBackupDefinition(input) })),
    updateBackupNote: (_root, { input }, context, info) => guarded(context, info, 'updateBackupNote', input, async () => ({ backup: await context.mutations.updateBackupNote(input) })),
    cancelOperation: (_root, { input }, context, info) => guarded(context, info, 'cancelOperation', input, () => context.mutations.cancelOperation(input)),
  },
  Subscription: {
    operationUpdated: {
      // Shown beside its backup only where the subscription selects it: an event without one costs no list read.
      subscribe: (_root, { id }, { reads }, info) => {
        const updates = reads.operationUpdates(id);
        return selectedFieldsAt(info, []).has('backup') ? updatesAsShown(reads, updates) : updates;
      },
      resolve: (operation: Operation) => operation,
    },
  },
  SyncBackupsPayload: {
    provider: (payload, _args, { reads }) => reads.provider(payload.operation.providerId),
  },
};
