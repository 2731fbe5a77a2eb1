/**
 * How deep a provider's list of messages is read for words. Real ones are a
 * list of strings (`["can't be blank"]`), at most a list of such lists.
 */
const MAX_WORDS_DEPTH = 4;

/** What stands in for a list nested deeper than MAX_WORDS_DEPTH, or for an object, among a provider's words. */
export const UNREADABLE_WORDS = '...';

/**
 * A provider's message value as words, for an error message: a string as it
 * is, a number or boolean as written, a list as its items joined by
 * `separator`. `String(value)` and `Array.prototype.join` recurse into nested
 * lists natively: a refusal whose message list nested 100,000 deep (a
 * hostile or broken provider; JSON.parse reads it fine) overflowed the stack,
 * and the provider's refusal became an INTERNAL_SERVER_ERROR that also kept
 * the request's idempotency key for 24 hours as "the provider may have
 * acted". Lists are read MAX_WORDS_DEPTH deep; deeper lists and objects are
 * UNREADABLE_WORDS. The caller clips the result (clipProviderMessage).
 */
export function providerWords(value: unknown, separator = ', ', depth = 0): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  if (!Array.isArray(value) || depth >= MAX_WORDS_DEPTH) return UNREADABLE_WORDS;
  return value.map((item: unknown) => providerWords(item, separator, depth + 1)).join(separator);
}
