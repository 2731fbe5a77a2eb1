import { UnusableNativeId } from '../../domain/unusable-native-id.js';

/**
 * A BILLmanager object id: its database's integer, as every id Zomro's documents show (`5203773`,
 * `5203980`, `14`), written as BILLmanager writes it (no leading zero: `05203773` is the same
 * object to a reader that parses it, under another id to the gateway).
 */
const BILLING_ID = /^(?:0|[1-9]\d{0,17})$/;

/**
 * A native id as it goes into `plid` or `elid`, which BILLmanager reads as a list of objects
 * (`elid=1,2` is two): ids in global ids come from clients, who may re-encode them, and
 * `5203773,5203774` in a crafted backup id was sent as the `plid` of a list read and then of an
 * `image.delete`. Anything but an integer names no object, and is asked of nobody (as OnApp's).
 */
export function billingId(value: string): string {
  // A client's is NOT_FOUND; one Zomro's own list named in this request is its answer (UnusableNativeId).
  if (!BILLING_ID.test(value)) throw new UnusableNativeId('object not found', 'listed an object whose id is no BILLmanager id (an integer), so it cannot be asked by it', 'NOT_FOUND');
  return value;
}
