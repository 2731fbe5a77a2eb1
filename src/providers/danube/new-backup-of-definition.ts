import { badInput } from '../../domain/errors.js';
import { parseUtcDate } from '../../domain/provider-dates.js';
import { toNumber, toStringOrNull } from '../../domain/units.js';
import { isVmUuid } from './backup-row-vm-uuid.js';

/**
 * Naming a create's backup when Danube does not.
 *
 * The Danube API docs' example of a finished create names its backup
 * (`"detail": "name=daily-20131014_133701, disk_id=1"`, see
 * created-backup-name.ts), and so does esdc-ce's task log detail of the call
 * (`bkpname='...'`). A current esdc-ce's task result does not: its callback
 * (api/vm/backup/tasks.py `vm_backup_cb`) replaces `detail` with the backup
 * tool's own figures, only `msg`, `rc`, `time_elapsed`, `size` and
 * `backup_snapshot_size` (`BACKUP_LOG_DETAIL`), and the 201 PENDING answer's
 * `result` is null. The docs and esdc-ce disagree; both are handled: a name in
 * the result is taken first, and without one the VM's backups are read.
 *
 * The name itself cannot be worked out: esdc-ce makes it from the definition
 * and Danube's clock at the call (`BackupDefine.generate_backup_name`:
 * `<definition>-%Y%m%d_%H%M%S`), and the gateway's clock is not Danube's.
 * So before the call the create reads the newest `created` among the
 * definition's backups of its disk (the mark, Danube's clock again), and once
 * the task has finished takes the one backup of that definition and disk
 * created after it. Any other run of the definition in between (its own
 * schedule, another client) makes two such backups, and then none is named:
 * a wrong backup would be worse than none. A read after the definition's
 * next run finds two as well: esdc-ce's per-disk lock means a later run's
 * backup is newer than the create's, but taking the oldest would trust that.
 * So the adapter remembers what a read found (CreateFindings, in the shared
 * store) and later reads name that backup without looking again.
 */

type Row = Record<string, unknown>;

/**
 * What a create's operation id carries to look its backup up: the definition, the mark (ms, 0 =
 * it had no backup) and the VM's uuid, where its list named one (null in operation ids made
 * before the uuid was kept): the VM's backups are read by it, which a rename does not change.
 */
export interface DefinitionLookup {
  readonly definition: string;
  readonly diskId: string;
  readonly newestBefore: number;
  readonly vmUuid: string | null;
}

/** What picks the create's backup out of the VM's rows: its definition, disk and mark. */
export type DefinitionMark = Omit<DefinitionLookup, 'vmUuid'>;

/** esdc-ce BackupSerializer's name: `^[A-Za-z0-9][A-Za-z0-9._-]*$`, kept to the length created-backup-name.ts takes. */
const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** One spelling per mark: "01" would give one operation a second id. */
const MARK = /^(?:0|[1-9]\d{0,15})$/;

// Text or number only: String() of a list nested deep overflowed the stack, and the create's poll failed.
const ofDefinition = (row: Row, definition: string, diskId: string): boolean =>
  row.define === definition && toStringOrNull(row.disk_id ?? 1) === diskId;

/**
 * The newest `created` (ms) among the definition's backups of the disk, 0
 * when it has none; null when one of them has no readable date, as then no
 * backup can be told to be newer than all of them.
 */
export function newestOfDefinition(rows: readonly Row[], definition: string, diskId: string): number | null {
  let newest = 0;
  for (const row of rows) {
    if (!ofDefinition(row, definition, diskId)) continue;
    const created = parseUtcDate(row.created)?.getTime();
    if (created === undefined || Number.isNaN(created)) return null;
    if (created > newest) newest = created;
  }
  return newest;
}

/**
 * The definition's backups of the disk created after the mark, one whose
 * date cannot be read among them (it may be newer): the create's is one of
 * them, once listed, unless the create failed.
 */
export function backupsSinceMark(rows: readonly Row[], lookup: DefinitionMark): Row[] {
  return rows.filter((row) => {
    if (!ofDefinition(row, lookup.definition, lookup.diskId)) return false;
    const created = parseUtcDate(row.created)?.getTime();
    return created === undefined || Number.isNaN(created) || created > lookup.newestBefore;
  });
}

/**
 * The name of the one backup of the definition and disk created after the
 * mark, or null: none is listed yet, or more than one could be the create's
 * (including one whose date cannot be read), or its name is no backup name.
 */
export function newBackupOfDefinition(rows: readonly Row[], lookup: DefinitionMark): string | null {
  const row = newBackupRowOfDefinition(rows, lookup);
  return row && backupNameOf(row);
}

/** The row newBackupOfDefinition names, for what else it says of the backup (the VM listing it now). */
export function newBackupRowOfDefinition(rows: readonly Row[], lookup: DefinitionMark): Row | null {
  const since = backupsSinceMark(rows, lookup);
  return since.length === 1 && backupNameOf(since[0]!) !== null ? since[0]! : null;
}

/** "`status` is an integer: 1 ok, 2 pending, 3 restore, 4 lost": pending while the backup is being made (or deleted). */
export const isPending = (row: Row): boolean => toNumber(row.status) === 2;

/** A row's name where it is a backup name: a provider's string is not passed on otherwise. */
export const backupNameOf = (row: Row): string | null => (typeof row.name === 'string' && isBackupName(row.name) ? row.name : null);

export const isBackupName = (value: string): boolean => BACKUP_NAME.test(value);

/**
 * The token's tail after [task id, disk]: [definition, mark, VM uuid] ([definition, mark] where
 * the VM's list named no uuid), or nothing when the mark could not be read: without a mark there
 * is nothing to look up, so no uuid either.
 */
export function lookupToken(definition: string, newestBefore: number | null, vmUuid: string | null): string[] {
  if (newestBefore === null) return [];
  return vmUuid === null ? [definition, String(newestBefore)] : [definition, String(newestBefore), vmUuid];
}

/**
 * A create's lookup from its token [task id, disk, definition, mark, VM uuid?]; null for an
 * operation id made before the lookup existed, or a create whose mark could not be read. One
 * without the uuid (made before it was kept) reads its VM by hostname, as it always did.
 */
export function lookupOf(token: readonly string[]): DefinitionLookup | null {
  const [, diskId = '1', definition, mark, vmUuid] = token;
  if (definition === undefined || mark === undefined) return null;
  if (!MARK.test(mark) || !Number.isSafeInteger(Number(mark))) throw badInput('operation id has no valid mark of its backup definition');
  // Operation ids come from clients, and the uuid goes into a path: only a uuid is read as one.
  if (vmUuid !== undefined && !isVmUuid(vmUuid)) throw badInput('operation id names no valid VM uuid');
  return { definition, diskId, newestBefore: Number(mark), vmUuid: vmUuid ?? null };
}
