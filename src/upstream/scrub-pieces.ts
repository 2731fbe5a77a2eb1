import { mayStandInJoinerRun } from './escaped-joiners.js';
import { SPACES_BESIDE_JOINER_SOURCE } from './secret-pieces.js';

/**
 * Where a large answer may be cut so that its pieces, scrubbed one per turn of
 * the event loop, come out as the whole would have (secrets.ts).
 *
 * Not at a fixed size with an overlap: what the scrubber matches has no
 * longest length. A lookalike secret of two words matches any run of
 * whitespace between them, an HTML reference any number of digits
 * (`&#000…065;`), and escapes nest four deep. So a piece ends just after a
 * separator: a character no match can hold. Such a character is in no form of
 * any secret, in no secret (nor its other case: a lookalike pattern's letters
 * are the secret's, its other case and non-ASCII lookalikes), is no
 * whitespace nor "+" (a lookalike's run between words) and is in no escape that
 * escape-reading.ts reads (`\`, `%`, `&`, `#`, `;`, `{`, `}`, quotes,
 * letters and digits), and does not stand between two ASCII letters or digits, a space or two apart (where the piece
 * search passes over punctuation: secret-pieces.ts, JOINERS), escapes of them counted as them. Then no form, pattern, escape or anchor crosses a cut,
 * each reading of the answer through its escapes is its pieces' readings put
 * together, and what is found in the whole is what is found in the pieces.
 */
const CANDIDATES = [',', ':', '[', ']', '<', '>', '(', ')', '=', '!', '|', '~'];

/**
 * The candidates none of `texts` holds (the forms searched for, and each secret's characters in
 * both cases), as a global class; null when a secret holds them all (its answers are scrubbed whole).
 */
export function separatorsBeside(texts: Iterable<string>): RegExp | null {
  const held = new Set<string>();
  for (const text of texts) for (const char of text) held.add(char).add(char.toLowerCase()).add(char.toUpperCase());
  const free = CANDIDATES.filter((char) => !held.has(char));
  if (free.length === 0) return null;
  const freeClass = `[${free.map((char) => `\\${char}`).join('')}]`;
  // Between two ASCII letters or digits (a space or two between allowed) the piece search passes over them (JOINERS,
  // secret-pieces.ts), and so does a secret's lookalike pattern (lookalike-secrets.ts): a match may hold one there. An
  // escape of a letter or digit reads as one to the piece search (escaped-joiners.ts): one may end in ";" before
  // (`&#75;,`) and start with "%", "&" or a backslash after (`,%71`, `,&#113;`, `,\u0071`), and is taken for one.
  return new RegExp(`(?<![A-Za-z0-9;]${SPACES_BESIDE_JOINER_SOURCE})${freeClass}|${freeClass}(?!${SPACES_BESIDE_JOINER_SOURCE}[A-Za-z0-9%&\\\\])`, 'g');
}

/**
 * `text` cut into pieces of at least `size` characters (the last may be shorter), each but the
 * last ending in a separator, and none in one that may stand in a run of joiners the reading of
 * escaped joiners joins, nor at either end of one (mayStandInJoinerRun: the separators are joiners,
 * and such a run is read as one joiner only with the letters either side of it in view). A text with
 * no separator past `size` is one piece: scrubbed whole, as before.
 */
export function piecesOf(text: string, separators: RegExp, size: number): string[] {
  const pieces: string[] = [];
  const stretch = new Int32Array(1);
  let start = 0;
  separators.lastIndex = start + size - 1;
  while (text.length - start > size) {
    const separator = separators.exec(text);
    if (separator === null) break;
    const end = separator.index + 1;
    // Where it may stand in a run, the next separator is looked for past the stretch of joiners around it: each is read once.
    if (mayStandInJoinerRun(text, separator.index, stretch)) {
      separators.lastIndex = stretch[0] as number;
      continue;
    }
    pieces.push(text.slice(start, end));
    start = end;
    separators.lastIndex = start + size - 1;
  }
  pieces.push(text.slice(start));
  return pieces;
}
