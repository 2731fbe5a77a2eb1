import { GatewayError } from '../../domain/errors.js';

/**
 * The words Django REST framework's BooleanField reads as true and as false
 * (esdc-ce's definition serializer takes `active` through it): a proxy or an
 * older panel that sends `0`, `"0"` or `"false"` means inactive. `0` was read
 * as active (only the JSON `false` was inactive), so a definition switched off
 * that way was shown running and counted towards PROTECTED.
 */
const TRUE_WORDS: ReadonlySet<unknown> = new Set([true, 1, '1', 'true', 'True', 'TRUE', 't', 'T', 'yes', 'Yes', 'YES', 'y', 'Y', 'on', 'On', 'ON']);
const FALSE_WORDS: ReadonlySet<unknown> = new Set([false, 0, '0', 'false', 'False', 'FALSE', 'f', 'F', 'no', 'No', 'NO', 'n', 'N', 'off', 'Off', 'OFF']);

/**
 * A definition's `active`. The API document: "data.active (boolean) – Enable
 * or disable backup schedule (default: true)", and its example rows send
 * `true`; providers.md says nothing of a definition's flag (only the VM's
 * `backup_define_active`/`_inactive` counts), so the two do not disagree.
 * Absent or null is the documented default, active (esdc-ce's model field
 * defaults to True and is never null). Anything else (`2`, `"maybe"`, a list)
 * makes the answer invalid: a guess either way misstates whether backups run.
 */
export function activeFlag(value: unknown, providerId: string): boolean {
  if (value === undefined || value === null) return true;
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new GatewayError('PROVIDER_ERROR', `provider ${providerId} sent an active flag that is no boolean`, { provider: providerId, providerCode: 'INVALID_RESPONSE' });
}
