import { badInput } from '../domain/errors.js';

/** Longest name we pass to a provider; none of them takes more. */
const MAX_NAME_LENGTH = 200;
const MAX_TEXT_LENGTH = 2_000;
/**
 * C0 and C1 controls, and the bidirectional embeddings, overrides and
 * isolates: a name is shown in dashboards and audit lines, where U+202E
 * would make "gpj.exe" read "exe.jpg".
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Free text keeps tab and newlines (and bidirectional marks, for right-to-left notes). */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Half a surrogate pair: no character at all. encodeURIComponent throws on it
 * (a Danube definition name goes into a URL path: INTERNAL_SERVER_ERROR,
 * logged as a gateway fault), and a JSON body carries it to the provider as
 * text no UTF-8 store can hold.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A name a provider can store: not empty, not huge, no control characters, no half characters. */
export function checkName(value: string, argument: string): string {
  const name = value.trim();
  if (name === '') throw badInput(`${argument} must not be empty`);
  if (name.length > MAX_NAME_LENGTH) throw badInput(`${argument} must be at most ${MAX_NAME_LENGTH} characters`);
  if (CONTROL_CHARACTERS.test(name)) throw badInput(`${argument} must not contain control characters`);
  if (LONE_SURROGATE.test(name)) throw badInput(`${argument} must be well-formed Unicode (half a surrogate pair is no character)`);
  return name;
}

/** Free text (notes, descriptions): bounded; newlines allowed; no half characters. */
export function checkText(value: string | null | undefined, argument: string): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > MAX_TEXT_LENGTH) throw badInput(`${argument} must be at most ${MAX_TEXT_LENGTH} characters`);
  if (TEXT_CONTROL_CHARACTERS.test(value)) throw badInput(`${argument} must not contain control characters`);
  if (LONE_SURROGATE.test(value)) throw badInput(`${argument} must be well-formed Unicode (half a surrogate pair is no character)`);
  return value;
}

export function checkInteger(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${argument} must be an integer from ${min} to ${max}`);
  return value;
}
