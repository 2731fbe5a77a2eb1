/**
 * Danube's 428s (API docs: "428 – VM brand mismatch / Disk size mismatch / Not enough free space
 * on target storage" for a restore, "428 – VM is not installed" for a create), sorted by who can
 * end them. The brand and the disk size are compared with what the backup kept of its VM when it
 * was made (esdc-ce's `vm_brand`, `disk_size`): the target named can never take this backup, and
 * no wait changes that, so the client fixes its request by naming another target: BAD_USER_INPUT,
 * with the input to change. Free space and an uninstalled VM are Danube's state now: the request
 * is right and may be sent again once that changes (space freed, the VM installed): CONFLICT.
 * All 428s were CONFLICT, which told a client to wait for a brand that never changes.
 */
const FIXED_BY_THE_REQUEST: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['VM brand mismatch', ['targetInstanceId']],
  ['Disk size mismatch', ['targetDiskId']],
];

/** The inputs a 428's words say the client must change, or null where it must wait instead (CONFLICT). */
export function preconditionFields(words: string): readonly string[] | null {
  return FIXED_BY_THE_REQUEST.find(([start]) => words.startsWith(start))?.[1] ?? null;
}
