/**
 * The backslash escapes that write one character below U+0100 as two hex digits: a Python, JavaScript
 * or C literal's `\xNN`, JSON's `\u00NN`, and Python's (and C's) 8-digit `\U000000NN`. Each reader of
 * an escaped letter, digit or joiner (escape-reading.ts, escaped-secrets.ts' anchor check,
 * escaped-joiners.ts) takes them from here, so that a form added is read by all of them alike. No
 * repr writes `\U` below U+10000; a hostile provider may, and `Dnb7Kq8\U00000052w2Zx4L` for
 * `Dnb7Kq8Rw2Zx4L` left 7 characters on either side while only the other two were read. Exactly 8
 * digits, as Python reads them: a ninth hex digit after is a character of its own.
 */

/** What stands between the backslash and the two hex digits in the forms JSON has no like of (read as JSON's `\u00`). */
export const LITERAL_BYTE_HEADS = ['x', 'U000000'];
/** The same for every form. */
export const BYTE_ESCAPE_HEADS = [...LITERAL_BYTE_HEADS, 'u00'];

/** Any head, as regex source. */
export const BYTE_ESCAPE_HEAD_SOURCE = `(?:${BYTE_ESCAPE_HEADS.join('|')})`;

/** Each head by the code of its first letter (the escape's kind). */
const HEAD_BY_KIND: ReadonlyMap<number, string> = new Map(BYTE_ESCAPE_HEADS.map((head) => [head.charCodeAt(0), head]));

/** Where the two hex digits of such an escape start, its kind letter at `kindAt` (just past the backslash); -1 where none starts there. */
export function byteEscapeDigitsAt(text: string, kindAt: number): number {
  const head = HEAD_BY_KIND.get(text.charCodeAt(kindAt));
  return head !== undefined && text.startsWith(head, kindAt) ? kindAt + head.length : -1;
}
