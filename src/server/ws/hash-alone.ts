/**
 * A `subscribe` sent as a persisted query's hash alone (no `query`, an `extensions.persistedQuery`),
 * made one graphql-ws takes: its own message check wants `query` a string, and closed the
 * connection 4400 on it, where HTTP answers `PersistedQueryNotFound` or runs the query the client
 * registered. Returns the message with an empty `query` in its payload, for the gateway to read as
 * a hash alone (the socket is marked while graphql-ws handles it), or undefined for any other
 * message, which is handed over as sent.
 */
export function hashAloneAsTaken(text: string): string | undefined {
  // Most messages name no persisted query: they are not parsed a second time.
  if (!text.includes('persistedQuery')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(message) || message.type !== 'subscribe' || !isRecord(message.payload)) return undefined;
  const { payload } = message;
  // As Apollo reads a request: a `query` sent (a string or not) is no hash alone, and a falsy `persistedQuery` is none.
  if ('query' in payload || !isRecord(payload.extensions) || !payload.extensions.persistedQuery) return undefined;
  return JSON.stringify({ ...message, payload: { ...payload, query: '' } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
