import { auditSubjects } from '../../gateway/audit-subjects.js';
import { createBackups } from '../../gateway/bulk-create.js';
import { protectionErrorOf, protectionReader } from '../../gateway/protection.js';
import { runMutation } from '../../gateway/mutation-runner.js';
import { requireRole } from '../../gateway/principal.js';
import type { Resolvers } from '../generated/resolvers-types.js';

const lowerKind = (kind: string | null | undefined) => (kind ? (kind.toLowerCase() as 'zomro' | 'onapp' | 'zstack' | 'danube') : null);

/** The protection view (Instance.protection, protectionSummary) and the bulk backup mutation. */
export const protectionResolvers: Resolvers = {
  Query: {
    protectionSummary: (_root, args, { gateway }) =>
      protectionReader(gateway).summary({ providerId: args.providerId ?? null, kind: lowerKind(args.kind) }, args.rpoHours ?? null),
  },
  Mutation: {
    createBackups: (_root, { input }, context) =>
      runMutation(
        { idempotency: context.gateway.gateway.idempotency, audit: context.gateway.gateway.audit, principal: context.gateway.principal,
          requestId: context.requestId,
          // A replay re-checks the role; which instances the key may see is judged per item, as on the first call.
          authorize: () => requireRole(context.gateway.principal, 'operator', 'createBackups'),
          subjects: () => ({ ...auditSubjects(context.gateway, input as Record<string, unknown>) }),
        },
        'createBackups',
        input as Record<string, unknown>,
        () => createBackups(context.gateway, input, (error) => context.gateway.gateway.logger.error({ err: error, requestId: context.requestId }, 'createBackups item failed')),
      ),
  },
  Instance: {
    protection: (instance, { rpoHours }, { gateway }) => protectionReader(gateway).of(instance, rpoHours ?? null),
  },
  Protection: {
    lastBackupAt: (protection) => protection.lastBackup?.createdAt ?? null,
    error: (protection) => protectionErrorOf(protection),
  },
  ProviderProtection: {
    provider: (entry) => entry.provider,
  },
  CreateBackupsItem: {
    instance: (item, _args, { gateway }) => (item.operation ? gateway.instance(item.instanceId) : null),
  },
};
