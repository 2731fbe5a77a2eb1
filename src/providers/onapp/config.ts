import { z } from 'zod';
import { authValueError, authWays, providerEntrySchema, requiredString } from '../config-base.js';

/**
 * How long a create's backup may be listed unbuilt, and a deleted backup still be listed, before
 * the operation is FAILED: two hours by default, as Zomro's `backupGiveUpMs` (OnApp takes and
 * removes a backup by a transaction, whose failure leaves the record as it was). A large disk's
 * backup may take longer, so an account may wait up to a day.
 */
export const DEFAULT_BACKUP_GIVE_UP_MS = 2 * 60 * 60_000;

/**
 * How long a restore whose transaction OnApp lists under a status word the gateway does not know
 * (OnApp documents none of them) reads RUNNING before it is FAILED. Two hours by default, as
 * Zomro's `restoreGiveUpMs`: a restore writes the whole disk back, as long as a backup takes to
 * read it. It was the 30 minutes a restore's transaction is given to be listed at all, so a large
 * disk's restore under such a word read FAILED while OnApp was still at work.
 */
export const DEFAULT_RESTORE_GIVE_UP_MS = 2 * 60 * 60_000;

const ONAPP_AUTH_KEY = 'unknown key; OnApp takes { username, password }: the user, and its API key as the password (HTTP basic)';

const onappAuthValueError = authValueError(authWays([['username', 'password']]));

export const onappConfigSchema = providerEntrySchema('onapp', {
  /** HTTP basic auth: the OnApp user and its API key. */
  // An OnApp API key is a password, but a newcomer writes it as `apiKey`: "allowed here: username,
  // password" did not say where it goes.
  auth: z.strictObject(
    { username: requiredString, password: requiredString },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map(() => ONAPP_AUTH_KEY).join('\n') : onappAuthValueError(issue)) },
  ),
  /** How long after a create its backup may still be listed unbuilt, and after a delete still be listed, reading RUNNING; FAILED after. */
  backupGiveUpMs: z.number().int().min(3_600_000).max(86_400_000).default(DEFAULT_BACKUP_GIVE_UP_MS),
  /** How long after a restore its transaction, listed under a status word the gateway does not know, reads RUNNING; FAILED after. */
  restoreGiveUpMs: z.number().int().min(3_600_000).max(86_400_000).default(DEFAULT_RESTORE_GIVE_UP_MS),
  /**
   * Whether each VM's own schedules (`GET /virtual_machines/{id}/schedules.json`, OnApp's PHP
   * wrapper's VM-level schedule list) are read beside its disks' schedules. A cloud that takes
   * incremental backups schedules them per virtual server (the admin guide: incremental
   * auto-backups are "created per virtual server"), not per disk: there a VM's only schedule is
   * on the VM, and without this the VM read as scheduling nothing (STALE or UNPROTECTED). Off by
   * default: it is one call more per VM, and on a cloud of per-disk backups that list is always
   * empty. Neither the VM record nor its disks say which kind a VM has, and its backups say so
   * only once one exists (and are a call of their own), so the account says it.
   */
  vmSchedules: z.boolean().default(false),
});

export type OnappConfig = z.infer<typeof onappConfigSchema>;
