import type { Backup } from '../domain/types.js';
import { clipProviderMessage } from '../domain/errors.js';
import { listedCount } from './audit-targets.js';
import { auditIdText } from './audit-text.js';
import { DEFAULT_MAX_BULK_INSTANCES } from './bulk-create.js';
import { decodeBackupId, decodeDefinitionId, decodeInstanceId, decodeScheduleId, type EntityAddress } from './ids.js';
import type { RequestReads } from './request-reads.js';

/** An instance or backup as a person reads it in an audit line: account, the provider's own id, and its name where known. */
export interface AuditEntity {
  provider: string;
  nativeId: string;
  name?: string;
  /** For backups, schedules and definitions: the instance they belong to. */
  instance?: { nativeId: string; name?: string };
}

export interface AuditSubjects {
  /** The account acted on, when every subject is in one (the pretty log line leads with it). */
  provider?: string;
  instance?: AuditEntity;
  instances?: AuditEntity[];
  backup?: AuditEntity;
  targetInstance?: AuditEntity;
  schedule?: AuditEntity;
  definition?: AuditEntity;
}

/**
 * A name as an audit line shows it. Names the gateway sends are checked, but most come from the
 * provider (named in its panel): like a provider's message, one line of at most 300 characters
 * with control, bidirectional and invisible characters as U+FFFD, so "gpj.exe" behind a U+202E
 * does not read "exe.jpg" and tag characters hide nothing.
 */
function withName<T extends object>(entity: T, name: string | null | undefined): T & { name?: string } {
  const shown = clipProviderMessage(name, '');
  return shown === '' ? entity : { ...entity, name: shown };
}

/** Account and native id as a line names them: decoded from a made-up id, either may be kilobytes long. */
function named(providerId: string, nativeId: string): { provider: string; nativeId: string } {
  return { provider: auditIdText(providerId), nativeId: auditIdText(nativeId) };
}

/** A malformed id names nothing: the audit line keeps the opaque id in `targets` and says no more. */
function decoded<T>(decode: () => T): T | null {
  try {
    return decode();
  } catch {
    return null;
  }
}

/**
 * What a mutation acted on, from its input's global ids (decoded, no upstream
 * call) and the names this request already looked up or the result carries.
 */
export function auditSubjects(reads: RequestReads, input: Readonly<Record<string, unknown>>, result?: unknown): AuditSubjects {
  const subjects: AuditSubjects = {};
  const instance = (id: unknown): AuditEntity | null => {
    if (typeof id !== 'string') return null;
    const address = decoded(() => decodeInstanceId(id));
    return address ? withName(named(address.providerId, address.nativeId), reads.nameOf(address.providerId, address.nativeId)) : null;
  };
  const owned = (address: EntityAddress | null, name: string | null = null): AuditEntity | null =>
    address
      ? withName(
          { ...named(address.providerId, address.nativeId), instance: withName({ nativeId: auditIdText(address.instanceNativeId) }, reads.nameOf(address.providerId, address.instanceNativeId)) },
          name,
        )
      : null;

  const single = instance(input.instanceId);
  if (single) subjects.instance = single;
  // Those the targets name, no more (they say how many were left out).
  const maxListed = reads.shared.options.maxBulkInstances ?? DEFAULT_MAX_BULK_INSTANCES;
  if (Array.isArray(input.instanceIds)) {
    subjects.instances = input.instanceIds.slice(0, listedCount(input.instanceIds, maxListed)).map(instance).filter((entity): entity is AuditEntity => entity !== null);
  }
  const target = instance(input.targetInstanceId);
  if (target) subjects.targetInstance = target;

  const resultBackup = (result as { backup?: Backup | null } | null | undefined)?.backup ?? null;
  if (typeof input.backupId === 'string') {
    const address = decoded(() => decodeBackupId(input.backupId as string));
    const name = address ? (reads.nameOf(address.providerId, address.nativeId, address.instanceNativeId) ?? resultBackup?.name) : null;
    const entity = owned(address, name);
    if (entity) subjects.backup = entity;
  } else if (resultBackup) {
    // A backup the mutation made: the provider's id for it, once it gave one.
    subjects.backup = withName(named(resultBackup.providerId, resultBackup.nativeId), resultBackup.name);
  }
  const schedule = typeof input.scheduleId === 'string' ? owned(decoded(() => decodeScheduleId(input.scheduleId as string))) : null;
  if (schedule) subjects.schedule = schedule;
  const definition = typeof input.definitionId === 'string' ? owned(decoded(() => decodeDefinitionId(input.definitionId as string))) : null;
  if (definition) subjects.definition = definition;

  const providers = new Set([subjects.instance, ...(subjects.instances ?? []), subjects.backup, subjects.targetInstance, subjects.schedule, subjects.definition].flatMap((entity) => (entity ? [entity.provider] : [])));
  if (typeof input.providerId === 'string') providers.add(auditIdText(input.providerId));
  if (providers.size === 1) subjects.provider = [...providers][0] as string;
  return subjects;
}
