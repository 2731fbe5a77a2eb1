/**
 * Whether decodeURIComponent would read `text` (its `%XX` escapes as UTF-8) rather than throw,
 * told without calling it: a throw costs some microseconds, and the scrubber asks it of every
 * escape of a hostile answer's stretches that are no UTF-8 (1 MB of `%25E2%2580` read through
 * twice is some 200,000 asked: 1.4 s, nearly all of it in the throws). The rules are
 * decodeURIComponent's (ECMA-262, Decode): a "%" needs two hex digits; a byte of 0x80 or more
 * starts a sequence of UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF)
 * whose every byte is a `%XX` of its own, nothing between them.
 */
export function decodesAsUtf8(text: string): boolean {
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', at)) {
    if (percentCodePointAt(text, at) < 0) return false;
    at += 3 * utf8Length(byteAt(text, at));
  }
  return true;
}

/**
 * The character the `%XX` escapes at `at` make as UTF-8 (one escape for a byte below 0x80, two to
 * four for a sequence), as decodeURIComponent reads them; -1 where it would throw.
 */
export function percentCodePointAt(text: string, at: number): number {
  const lead = byteAt(text, at);
  if (lead < 0x80) return lead;
  if (lead < 0xc2 || lead > 0xf4) return -1;
  const length = utf8Length(lead);
  let codePoint = lead & (0xff >> (length + 1));
  for (let index = 1; index < length; index++) {
    const place = at + 3 * index;
    const byte = text.charCodeAt(place) === 0x25 ? byteAt(text, place) : -1;
    const [low, high] = index === 1 ? secondByteRange(lead) : [0x80, 0xbf];
    if (byte < low || byte > high) return -1;
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  return codePoint;
}

/** How many bytes a UTF-8 sequence starting with `lead` has (1 for a byte that starts none). */
export const utf8Length = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/** The byte the `%XX` at `at` writes, or -1 where two hex digits do not follow. */
function byteAt(text: string, at: number): number {
  const high = hexValue(text.charCodeAt(at + 1));
  const low = hexValue(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** What the byte after `lead` may be: narrower after E0 (overlong), ED (surrogates), F0 (overlong) and F4 (past U+10FFFF). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}
