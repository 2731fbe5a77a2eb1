/**
 * BILLmanager's JSON envelope: `{"doc": {...}}` where every value is wrapped
 * as `{"$": v}` (sometimes with `"$orig"` beside it), lists are `doc.elem`,
 * and errors arrive with HTTP 200 as `doc.error`.
 */

import { mapRows } from '../../domain/turns.js';
import { MAX_RAW_DEPTH, NESTED_TOO_DEEP, setOwn } from '../raw.js';

export type ZomroDoc = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `{"$": v, "$orig": o}` -> v, everywhere, recursively; other `$`-keys are envelope noise and dropped.
 * A value nested deeper than MAX_RAW_DEPTH (the cut `raw` makes later anyway) is NESTED_TOO_DEEP:
 * JSON.parse reads a list nested 100,000 deep, and this walk overflowed the stack on it, in a
 * record (the account's whole list an internal error) or in `doc.error.msg` (a refusal an internal
 * error, its idempotency key kept 24 h as "may have acted").
 */
export function unwrap(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_RAW_DEPTH) return NESTED_TOO_DEEP;
  if (Array.isArray(value)) return value.map((item: unknown) => unwrap(item, depth + 1));
  const record = value as Record<string, unknown>;
  if ('$' in record) return record.$;
  const out: Record<string, unknown> = {};
  // for-in: no [key, value] array per field of every record (parsed JSON has no inherited keys).
  for (const key in record) if (!key.startsWith('$')) setOwn(out, key, unwrap(record[key], depth + 1));
  return out;
}

/**
 * `doc.elem` as a list of unwrapped records: missing when the list is empty,
 * a single object when it has one element (seen in scripts written against
 * api.zomro.com), an array otherwise.
 */
export function elems(doc: ZomroDoc): Array<Record<string, unknown>> {
  return elemList(doc).map(unwrapRow);
}

/**
 * `elems`, giving the event loop a turn after every ROWS_PER_TURN rows: a panel ignoring `p_cnt`
 * may answer one page of the whole account (150,000 rows, 26 MB, held the loop 0.4-0.75 s).
 */
export function elemsInTurns(doc: ZomroDoc): Promise<Array<Record<string, unknown>>> {
  return mapRows(elemList(doc), unwrapRow);
}

function elemList(doc: ZomroDoc): Array<Record<string, unknown>> {
  const elem = doc.elem;
  const list: unknown[] = elem === undefined || elem === null ? [] : Array.isArray(elem) ? elem : [elem];
  return list.filter(isObject);
}

function unwrapRow(item: Record<string, unknown>): Record<string, unknown> {
  const row = unwrap(item) as Record<string, unknown>;
  const originals = originalsOf(item);
  if (originals) ORIGINALS.set(row, originals);
  return row;
}

/**
 * Each list row's `$orig` values, by field: BILLmanager sends a coded field's code there and its
 * display word, in the panel's language, in `$` (`{"$orig": "4", "$": "Deleted"}`), and unwrap
 * keeps `$`. Beside the row, not in it: `raw` shows the row as before.
 */
const ORIGINALS = new WeakMap<object, ReadonlyMap<string, string>>();

function originalsOf(item: Record<string, unknown>): Map<string, string> | null {
  let originals: Map<string, string> | null = null;
  for (const key in item) {
    const value = item[key];
    if (isObject(value) && typeof value.$orig === 'string') (originals ??= new Map()).set(key, value.$orig);
  }
  return originals;
}

/** A list row's `$orig` of `field` (its code, whatever the panel's language), or null. */
export const originalOf = (row: object, field: string): string | null => ORIGINALS.get(row)?.get(field) ?? null;

/** A wrapped scalar such as `doc.p_elems` or `doc.id` as a string, or null. */
export function scalar(value: unknown): string | null {
  const unwrapped = unwrap(value);
  if (typeof unwrapped === 'string') return unwrapped;
  if (typeof unwrapped === 'number') return String(unwrapped);
  return null;
}

export interface ZomroWireError {
  type: string;
  /** `$object` when it is a plain name (a field or an object type). */
  object: string | null;
  message: string | null;
  /**
   * Field -> messages of a form validation: `$object` as a JSON string
   * mapping field to [messages] (Zomro panel code), else the fields the
   * `param[]` items (`{ $name, $ }`) name. Empty when neither says.
   */
  fields: Map<string, string[]>;
}

/**
 * `doc.error` if present: `$type`, `$object`, `msg.$` and `param[]`.
 * `scrub` is the account's scrubber: `$object` may be JSON written inside a
 * JSON string, whose own escapes (a "\/", a \uXXXX) hid a secret from the
 * scrub of the answer's text; its text is scrubbed again once it is JSON.
 */
/** The `$type` of the error in an answer's body (parsed JSON, `{ doc: { error } }`), or null: none, or no body of BILLmanager's. */
export function answerErrorType(body: unknown): string | null {
  const error = isObject(body) && isObject(body.doc) ? body.doc.error : undefined;
  return isObject(error) && typeof error.$type === 'string' ? error.$type : null;
}

export function wireError(doc: ZomroDoc, scrub: (text: string) => string): ZomroWireError | null {
  const error = doc.error;
  if (!isObject(error)) return null;
  const type = typeof error.$type === 'string' ? error.$type : 'error';
  const rawObject = typeof error.$object === 'string' && error.$object.length <= MAX_FIELD_MAP_CHARS ? error.$object : null;
  const fields = fieldMap(rawObject, scrub);
  const object = fields.size > 0 ? null : rawObject;
  if (fields.size === 0) for (const [name, value] of params(error.param)) fields.set(name, value ? [value] : []);
  return { type, object, message: scalar(error.msg), fields };
}

/**
 * The longest `$object` read as a field map. A form's map is a few hundred characters; a hostile
 * panel's could fill an answer (32 MB), and its scrub and JSON.parse held the event loop in one
 * turn (36 MB of one: 0.5 to 0.9 s per error). Past this it is not read: the error keeps its type, its message
 * and the fields `param[]` names, and no part of the text is quoted.
 */
export const MAX_FIELD_MAP_CHARS = 64 * 1024;

/** `$object` as `{"field": ["message", ...]}` written as a JSON string; anything else is no map. */
function fieldMap(object: string | null, scrub: (text: string) => string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  if (!object || object.length > MAX_FIELD_MAP_CHARS || !object.trim().startsWith('{')) return fields;
  let parsed: unknown;
  try {
    parsed = JSON.parse(scrub(object));
  } catch {
    return fields;
  }
  if (!isObject(parsed)) return fields;
  for (const [field, messages] of Object.entries(parsed)) {
    const list = (Array.isArray(messages) ? messages : [messages]).filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
    fields.set(field, list);
  }
  return fields;
}

/**
 * `param[]` items `{ $name, $ }`. Two readings, both taken: BILLmanager's own
 * error template names its parameters (`object` holds the field, `value` the
 * value sent), or each `$name` is a form field and `$` its message.
 */
function params(value: unknown): Array<[string, string | null]> {
  const list = (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]).filter(isObject);
  const named = list.flatMap((item) => (typeof item.$name === 'string' ? [[item.$name, typeof item.$ === 'string' ? item.$ : null] as [string, string | null]] : []));
  const object = named.find(([name]) => name === 'object');
  if (object) return object[1] ? [[object[1], null]] : [];
  return named.filter(([name]) => name !== 'value' && name !== 'desc');
}
