/**
 * An id written in decimal digits as an exact number to order by: OnApp's ids may come as exact
 * strings past 2^53 (its JSON numbers past it are refused as unreadable, native-id.ts), and
 * Number() of one dropped its last digits, so two ids read as one. Null for any other text.
 */
export function decimalIdOrder(text: string): bigint | null {
  return /^\d{1,40}$/.test(text) ? BigInt(text) : null;
}
