import { ListedUnusableId } from '../../domain/unusable-native-id.js';
import { UnreadableNativeId, idText } from '../native-id.js';
import { ONAPP_ID } from './onapp-id.js';

/**
 * A disk's id from OnApp's answer, as it goes into the disk's own paths (`/settings/disks/{id}/schedules.json`,
 * `.../backups.json`). One of no OnApp id's shape is the provider's answer, not a name of nothing: the URL
 * builder's NOT_FOUND "object not found" for it failed the VM's whole schedules list, as though the VM
 * were gone. Thrown as UnreadableNativeId, so a list leaves the disk out (its schedules unread) and says
 * so at the VM's schedules list (readable-rows.ts); never quoting the id.
 */
export function diskIdOf(value: unknown, provider: string): string {
  const id = idText(value, provider);
  if (!ONAPP_ID.test(id)) throw new UnreadableNativeId('PROVIDER_ERROR', `provider ${provider} sent a disk id that is no OnApp id (an integer), so the disk's schedules were not read`, { provider, providerCode: 'INVALID_RESPONSE' });
  return id;
}

/**
 * As diskIdOf, for a disk a write is about to act on: the refusal comes before the URL is built, so
 * nothing was sent (ListedUnusableId: the write's idempotencyKey is freed, not kept as may-have-acted).
 */
export function diskIdToActOn(value: unknown, provider: string): string {
  try {
    return diskIdOf(value, provider);
  } catch (error) {
    if (!(error instanceof UnreadableNativeId)) throw error;
    throw new ListedUnusableId('PROVIDER_ERROR', `provider ${provider} sent a disk id that is no OnApp id (an integer): nothing was asked of the disk`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
}

/** As diskIdOf, with null for a disk whose id cannot be used: such a disk is none a request can name (it matches nothing). */
export function diskIdOrNull(value: unknown, provider: string): string | null {
  try {
    return diskIdOf(value, provider);
  } catch (error) {
    if (error instanceof UnreadableNativeId) return null;
    throw error;
  }
}
