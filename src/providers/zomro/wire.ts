/**
 * BILLmanager's JSON envelope: `{"doc": {...}}` where every value is wrapped
 * as `{"$": v}` (sometimes with `"$orig"` beside it), lists are `doc.elem`,
 * and errors arrive with HTTP 200 as `doc.error`.
 */

export type ZomroDoc = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{"$": v, "$orig": o}` -> v, everywhere, recursively; other `$`-keys are envelope noise and dropped. */
export function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (!isObject(value)) return value;
  if ('$' in value) return value.$;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!key.startsWith('$')) out[key] = unwrap(item);
  return out;
}

/**
 * `doc.elem` as a list of unwrapped records: missing when the list is empty,
 * a single object when it has one element (seen in scripts written against
 * api.zomro.com), an array otherwise.
 */
export function elems(doc: ZomroDoc): Array<Record<string, unknown>> {
  const elem = doc.elem;
  const list = elem === undefined || elem === null ? [] : Array.isArray(elem) ? elem : [elem];
  return list.filter(isObject).map((item) => unwrap(item) as Record<string, unknown>);
}

/** A wrapped scalar such as `doc.p_elems` or `doc.id` as a string, or null. */
export function scalar(value: unknown): string | null {
  const unwrapped = unwrap(value);
  if (typeof unwrapped === 'string') return unwrapped;
  if (typeof unwrapped === 'number') return String(unwrapped);
  return null;
}

export interface ZomroWireError {
  type: string;
  object: string | null;
  message: string | null;
}

/** `doc.error` if present: `$type`, `$object` and `msg.$`. */
export function wireError(doc: ZomroDoc): ZomroWireError | null {
  const error = doc.error;
  if (!isObject(error)) return null;
  const type = typeof error.$type === 'string' ? error.$type : 'error';
  const object = typeof error.$object === 'string' ? error.$object : null;
  return { type, object, message: scalar(error.msg) };
}
