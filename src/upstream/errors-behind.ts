/** Errors read at most: undici's chains are two or three deep, a connect's AggregateError a few wide. */
const MOST_READ = 8;

/**
 * A transport error and the errors behind it, breadth first through `cause` links and an
 * AggregateError's `errors` (a connect that tried several addresses), lazily: a caller that finds
 * what it looks for reads no further. Bounded, as a chain may loop back on itself.
 */
export function* errorsBehind(error: unknown): Generator<object> {
  const seen: unknown[] = [error];
  for (let index = 0; index < seen.length && index < MOST_READ; index++) {
    const current = seen[index];
    if (current === null || typeof current !== 'object') continue;
    yield current;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) seen.push(cause);
    if (Array.isArray(errors)) seen.push(...errors);
  }
}
