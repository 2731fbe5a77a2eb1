import { asSeenBy, createBackups } from '../../gateway/bulk-create.js';
import { runRequestMutation } from '../../gateway/mutation-runner.js';
import { requireRole } from '../../gateway/principal.js';
import { protectionErrorOf, protectionReader } from '../../gateway/protection.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { kindFilter, marked, writtenAt } from './arguments.js';
import { EVERY_LIST, listsAt, verdictAt } from './rows-left-out-paths.js';

/** The protection view (Instance.protection, protectionSummary) and the bulk backup mutation. */
export const protectionResolvers: Resolvers = {
  Query: {
    // A verdict read every list of the instance: a row left out of any of them may have changed it.
    protectionSummary: (_root, args, { reads }, info) =>
      listsAt(reads, EVERY_LIST, info, protectionReader(reads).summary({ providerId: args.providerId ?? null, kind: kindFilter(args.kind) }, args.rpoHours ?? null), args),
  },
  Mutation: {
    // A replay re-checks the role before, and which accounts the key may see after: per item, as on the first call.
    // As guarded() does for the others: a row left out of a list its creates read names this field.
    createBackups: async (_root, { input }, { reads }, info) =>
      asSeenBy(reads, await writtenAt(reads, info, () => runRequestMutation(reads, 'createBackups', input, () => requireRole(reads.principal, 'operator', 'createBackups'), () => marked(reads, () => createBackups(reads, input))))),
  },
  Instance: {
    protection: (instance, { rpoHours }, { reads }, info) => verdictAt(reads, instance, info, protectionReader(reads).protectionField(instance, rpoHours ?? null)),
  },
  Protection: {
    lastBackupAt: (protection) => protection.lastBackup?.createdAt ?? null,
    error: (protection) => protectionErrorOf(protection),
  },
  ProviderProtection: {
    provider: (entry) => entry.provider,
  },
  CreateBackupsItem: {
    instance: (item, _args, { reads }) => (item.operation ? reads.instance(item.instanceId) : null),
  },
};
