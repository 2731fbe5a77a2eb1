import { badInput } from '../domain/errors.js';

/** Longest name we pass to a provider; none of them takes more. */
const MAX_NAME_LENGTH = 200;
const MAX_TEXT_LENGTH = 2_000;
/**
 * What a name may not hold. A name is shown in dashboards and audit lines and
 * told apart from others by eye: C0 and C1 controls; every format character
 * (Unicode's Cf), among them the bidirectional embeddings, overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069) and marks (U+061C, U+200E, U+200F),
 * where U+202E makes "gpj.exe" read "exe.jpg" (Trojan Source), and the
 * invisible ones (soft hyphen, U+200B zero width space, U+2060-U+2064,
 * U+206A-U+206F, U+180E, U+FEFF, U+FFF9-U+FFFB, and the tags U+E0000-U+E007F,
 * which spell hidden ASCII after a name that reads the same without it); the
 * characters that draw as nothing though they are not format characters (the
 * Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the combining grapheme
 * joiner U+034F); and the line and paragraph separators U+2028 and U+2029.
 * The joiners U+200C and U+200D stay: Persian and Indic scripts and emoji
 * sequences need them; so do the tags of the three subdivision flags emoji
 * have (EMOJI_FLAG_TAGS).
 */
const NOT_IN_NAMES = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u034f\u115f\u1160\u2028\u2029\u3164\uffa0]/u;
/** England, Scotland and Wales: a black flag, the tags of gbeng, gbsct or gbwls, a cancel tag. */
const EMOJI_FLAG_TAGS = /\u{1f3f4}\u{e0067}\u{e0062}(?:\u{e0065}\u{e006e}\u{e0067}|\u{e0073}\u{e0063}\u{e0074}|\u{e0077}\u{e006c}\u{e0073})\u{e007f}/gu;
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
  const refused = NOT_IN_NAMES.exec(name.replace(EMOJI_FLAG_TAGS, '\u{1f3f4}'));
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

/**
 * Refuses half a surrogate pair anywhere in `value`. Also for text that only
 * identifies (an idempotencyKey): hashed as UTF-8, each half reads as U+FFFD,
 * so keys that differ only there were one key, and the second request was
 * answered the first's result without acting.
 */
export function checkWellFormed(value: string, argument: string): string {
  if (LONE_SURROGATE.test(value)) throw badInput(`${argument} must be well-formed Unicode (half a surrogate pair is no character)`);
  return value;
}

/** `U+202E`: a character named so that an invisible one can be found in what the client sent. */
const codePoint = (character: string): string => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

export function checkInteger(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`${argument} must be an integer from ${min} to ${max}`);
  return value;
}
