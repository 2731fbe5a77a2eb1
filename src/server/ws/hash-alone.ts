import { randomUUID } from 'node:crypto';

/**
 * A `subscribe` sent as a persisted query's hash alone (no `query`, an `extensions.persistedQuery`),
 * made one graphql-ws takes: its own message check wants `query` a string, and closed the
 * connection 4400 on it, where HTTP answers `PersistedQueryNotFound` or runs the query the client
 * registered. Returns the message with an empty `query` in its payload, for the gateway to read as
 * a hash alone (the socket is marked while graphql-ws handles it), or undefined for any other
 * message, which is handed over as sent.
 */
export function hashAloneAsTaken(text: string): string | undefined {
  // Most messages name no persisted query: they are not parsed a second time. A name may be
  // written with `\u` escapes (JSON reads `persisted\u0051uery` as `persistedQuery`, as HTTP's parser does).
  if (!text.includes('persistedQuery') && !text.includes('\\u')) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(message) || message.type !== 'subscribe' || !isRecord(message.payload)) return undefined;
  const { payload } = message;
  // As Apollo reads a request (runHttpQuery): a `query` that is no string and falsy (null, false, 0)
  // is none, any other `query` sent is no hash alone; a falsy `persistedQuery` is none either.
  if (typeof payload.query === 'string' || Boolean(payload.query) || !isRecord(payload.extensions) || !payload.extensions.persistedQuery) return undefined;
  const taken = { ...message, payload: { ...payload, query: '' } };
  return MAY_PASS_DOUBLE_RANGE.test(text) ? writtenWithNonFinite(taken) : JSON.stringify(taken);
}

/**
 * Where JSON may hold a number past a double's range (read as Infinity): an exponent of three
 * digits or more, or 309 digits in a row. Over-approximated (`1e100`, digits in a string): the
 * message is then looked through, which a reviver or replacer on every message would have made
 * some 15 times slower to read (90 ms for 1 MiB of numbers).
 */
const MAY_PASS_DOUBLE_RANGE = /[eE]\+?0*[1-9]\d{2}|\d{309}/;

/**
 * JSON.stringify writes a number past a double's range (`1e400`, read as Infinity) as `null`: a
 * variable HTTP refuses ("Int cannot represent non-integer value: Infinity") ran as null. Written
 * back as a number that reads as Infinity again.
 */
function writtenWithNonFinite(taken: Record<string, unknown>): string {
  const mark = `non-finite ${randomUUID()} `;
  let found = false;
  const containers: Array<Record<string, unknown> | unknown[]> = [taken];
  const look = (container: Record<string, unknown> | unknown[], key: string | number, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // defineProperty: a field named `__proto__` is an own field, which an assignment would not set.
      Object.defineProperty(container, key, { value: `${mark}${value > 0 ? '+' : '-'}`, enumerable: true, writable: true, configurable: true });
      found = true;
    } else if (typeof value === 'object' && value !== null) {
      containers.push(value as Record<string, unknown> | unknown[]);
    }
  };
  for (let container = containers.pop(); container !== undefined; container = containers.pop()) {
    if (Array.isArray(container)) for (let index = 0; index < container.length; index += 1) look(container, index, container[index]);
    else for (const key of Object.keys(container)) look(container, key, container[key]);
  }
  const written = JSON.stringify(taken);
  return found ? written.replaceAll(`"${mark}+"`, '1e999').replaceAll(`"${mark}-"`, '-1e999') : written;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
