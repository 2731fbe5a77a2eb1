import { type Span, readEscapes, sourceSpans } from './escape-reading.js';
import { MAX_READINGS } from './escaped-secrets.js';

/**
 * Characters looked at after a base64 per padding "=" it may have: room for the longest escapes
 * read MAX_READINGS deep (`%2525253D`, `&amp;amp;#x3D;`, `\\\\\\\\u003d`), and no more, so
 * the look costs the same in an answer of any length.
 */
const CHARS_PER_PADDING = 32;

/**
 * Where the padding after a secret's whole base64 ends when it stands at `at` in `text`: up to
 * `count` "=" however written, as it stands, URL-encoded at any depth (`%3D`, `%253D`), as an
 * HTML reference (`&#61;`, `&#x3D;`, `&equals;`, `&amp;#61;`) or a backslash escape (`\u003D`,
 * `\\u003d`, `\x3d`), read through as EscapedSecretSearch reads an answer. `at` when none
 * follows. The forms the search looks for hold only the padding as it stands, `%3D`, `%3d` and
 * `\u003d`: after the unpadded base64 was found as it stands, any other writing of its padding
 * was left beside the redaction, telling the secret's length mod 3.
 */
export function paddingEnd(text: string, at: number, count: number): number {
  const levels = [text.slice(at, at + count * CHARS_PER_PADDING)];
  for (let reading = 1; reading <= MAX_READINGS; reading++) {
    const read = readEscapes(levels.at(-1) as string);
    if (read === levels.at(-1)) break;
    levels.push(read);
  }
  const padding = leadingPads(levels.at(-1) as string, count);
  if (padding === 0) return at;
  let span: Span = [0, padding];
  for (let level = levels.length - 1; level > 0; level--) span = sourceSpans(levels[level - 1] as string, [span])[0] as Span;
  return at + span[1];
}

/** How many "=" `text` starts with, at most `count`. */
function leadingPads(text: string, count: number): number {
  let pads = 0;
  while (pads < count && text.charCodeAt(pads) === 0x3d) pads++;
  return pads;
}
