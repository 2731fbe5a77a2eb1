import { badInput } from '../domain/errors.js';

/** Longest name we pass to a provider; none of them takes more. */
const MAX_NAME_LENGTH = 200;
const MAX_TEXT_LENGTH = 2_000;
/**
 * What a name may not hold. A name is shown in dashboards and audit lines and
 * told apart from others by eye: C0 and C1 controls; the bidirectional
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks
 * (U+061C, U+200E, U+200F), where U+202E makes "gpj.exe" read "exe.jpg"
 * (Trojan Source); the invisible ones (soft hyphen, U+200B zero width space,
 * U+2060-U+2064, U+FEFF), which make a second name that looks like the first;
 * and the line and paragraph separators U+2028 and U+2029. The joiners U+200C
 * and U+200D stay: Persian and Indic scripts and emoji sequences need them.
 */
// eslint-disable-next-line no-control-regex
const NOT_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
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

/** A name a provider can store and a person can tell apart: not empty, not huge, no control, invisible or bidirectional characters, no half characters. */
export function checkName(value: string, argument: string): string {
  const name = value.trim();
  if (name === '') throw badInput(`${argument} must not be empty`);
  if (name.length > MAX_NAME_LENGTH) throw badInput(`${argument} must be at most ${MAX_NAME_LENGTH} characters`);
  const refused = NOT_IN_NAMES.exec(name);
  if (refused) throw badInput(`${argument} must not contain ${codePoint(refused[0])}: control, invisible and bidirectional characters are refused in names`);
  if (LONE_SURROGATE.test(name)) throw badInput(`${argument} must be well-formed Unicode (half a surrogate pair is no character)`);
  return name;
}

/** Free text (notes, descriptions): bounded; newlines allowed; no half characters. */
export function checkText(value: string | null | undefined, argument: string): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > MAX_TEXT_LENGTH) throw badInput(`${argument} must be at most ${MAX_TEXT_LENGTH} characters`);
  const control = TEXT_CONTROL_CHARACTERS.exec(value);
  if (control) throw badInput(`${argument} must not contain control characters (${codePoint(control[0])})`);
  if (LONE_SURROGATE.test(value)) throw badInput(`${argument} must be well-formed Unicode (half a surrogate pair is no character)`);
  return value;
}

/** `U+202E`: a character named so that an invisible one can be found in what the client sent. */
const codePoint = (character: string): string => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

export function checkInteger(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${argument} must be an integer from ${min} to ${max}`);
  return value;
}
