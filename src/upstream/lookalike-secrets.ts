import { JOINERS, SPACES_BESIDE_JOINER_SOURCE } from './secret-pieces.js';
import { SPLIT_RUN_SOURCE, splitWordSpans } from './split-word-search.js';

/**
 * A secret quoted back in letters that read as its own: in another mix of
 * capitals and small letters (an error message capitalising its first word, a
 * log upper-casing a field), or in characters Unicode's compatibility
 * normalisation (NFKC) reads as its ASCII ones (full-width `ｓｅｃｒｅｔ` from
 * an East Asian locale, circled, super- and subscript, mathematical letters).
 * The scrubber's exact forms (secrets.ts) find neither.
 */

/**
 * Secrets at least this long are also found in any mix of case. Shorter ones
 * only as written, all in capitals and all in small letters: a 6-letter
 * password that is a word ("Backup") found case-insensitively would cut the
 * word from every title-cased sentence; at 8 and more the exact and all-small
 * forms already cut such a word wherever it is written plainly, and what mixed
 * case adds is the secret capitalised or flipped.
 */
export const MIN_CASELESS_SECRET_LENGTH = 8;

/** A provider's whitespace in place of a secret's own: any run of it, or "+" (a form body's space). */
const WHITESPACE_RUN = '[\\s+]+';
/**
 * The same beside a word that starts or ends with "+": a run that may hold "+" next to a "+" of
 * the word makes the pattern ambiguous, and a secret of words of "+" ("+ + + x", a session a
 * hostile provider chose) backtracked through every split of a run of "+": 150 of them held
 * the event loop a second, a 32 MiB answer of them for good.
 */
const WHITESPACE_ONLY_RUN = '\\s+';

/**
 * The most characters of a secret one pattern holds; a longer secret is looked for piece by piece.
 * A pattern is some 200 characters of regex per character of the secret: one of a 16 KiB session
 * token (a provider's login may hand out anything) did not compile ("Stack overflow"), and every
 * scrub of the account's answers threw.
 */
export const MAX_PATTERN_SECRET_LENGTH = 512;

/**
 * Each ASCII character and the characters NFKC reads as it alone (`ａ`, `ª`,
 * `ⓐ`, `𝐚`, ... for "a"). Worked out once, on first use (some 20 ms): the
 * code points below U+20000 hold every such character.
 */
let compatibilityForms: ReadonlyMap<string, readonly string[]> | null = null;

function formsOf(char: string): readonly string[] {
  compatibilityForms ??= workedOutCompatibilityForms();
  return compatibilityForms.get(char) ?? [];
}

function workedOutCompatibilityForms(): ReadonlyMap<string, readonly string[]> {
  const forms = new Map<string, string[]>();
  for (let codePoint = 0xa0; codePoint < 0x20000; codePoint++) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    const char = String.fromCodePoint(codePoint);
    const read = char.normalize('NFKC');
    if (read.length !== 1 || read.charCodeAt(0) >= 0x80) continue;
    const held = forms.get(read);
    if (held) held.push(char);
    else forms.set(read, [char]);
  }
  return forms;
}

/** A character and its other case, where that is one character too ("ß" upper-cases to "SS": left as it is). */
function casesOf(char: string): string[] {
  return [char, char.toLowerCase(), char.toUpperCase()].filter((variant) => [...variant].length === 1);
}

/** A regex class of `chars`, each as `\u{...}`: no character needs thought about escaping. */
function classOf(chars: Iterable<string>): string {
  return `[${[...new Set(chars)].map((char) => `\\u{${(char.codePointAt(0) as number).toString(16)}}`).join('')}]`;
}

const isAsciiAlphanumeric = (char: string | undefined): boolean => char !== undefined && /^[A-Za-z0-9]$/.test(char);

/**
 * What may stand for a secret's own punctuation between two ASCII letters or digits
 * (`Secret-Key-42`), beside that punctuation in its lookalike forms (`－`): any joiner between two
 * of them (a space or two beside it, as the piece search reads one), a run of whitespace, or
 * nothing (`Secret_Key_42`, `Secret.Key.42`, `Secret Key 42`, `SecretKey42`). The piece search
 * counts a secret's own punctuation, so that the words "secret key" are no piece of it, and found
 * none of these; the whole secret so is still the secret. The lookarounds keep a joiner to ASCII
 * letters or digits: beside others a large answer may be cut there (scrub-pieces.ts).
 */
const OTHER_JOINER_SOURCE = `(?<=[A-Za-z0-9])${SPACES_BESIDE_JOINER_SOURCE}${classOf(JOINERS)}${SPACES_BESIDE_JOINER_SOURCE}(?=[A-Za-z0-9])|[\\s+]+`;

/**
 * `word` matched with each character as any character NFKC reads as it, and in any case when
 * `caseless`; its own punctuation between two ASCII letters or digits also as OTHER_JOINER_SOURCE, or left out.
 */
function wordSource(word: string, caseless: boolean): string {
  const chars = [...word];
  return chars
    .map((char, at) => {
      const variants = caseless ? casesOf(char) : [char];
      const own = classOf(variants.flatMap((variant) => [variant, ...formsOf(variant)]));
      if (JOINERS.includes(char) && isAsciiAlphanumeric(chars[at - 1]) && isAsciiAlphanumeric(chars[at + 1])) return `(?:${own}|${OTHER_JOINER_SOURCE})?`;
      return own;
    })
    .join('');
}

/** The words of `secret`: whitespace at its ends left out (a password file's last line may end in it). */
export function wordsOf(secret: string): string[] {
  const trimmed = secret.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/**
 * `words` matched one after another, each run of whitespace between them as any run (see
 * WHITESPACE_ONLY_RUN), or (`touching`) as any run or none.
 */
function wordsSource(words: readonly string[], caseless: boolean, touching: boolean): string {
  return words
    .map((word, index) => {
      const source = wordSource(word, caseless);
      if (index === 0) return source;
      const plusBeside = (words[index - 1] as string).endsWith('+') || word.startsWith('+');
      const run = plusBeside ? WHITESPACE_ONLY_RUN : WHITESPACE_RUN;
      return (touching ? `${run.slice(0, -1)}*` : run) + source;
    })
    .join('');
}

/** A secret of small ASCII letters only, one word ("correcthorsebattery"). */
const SMALL_LETTERS_ONLY = /^[a-z]+$/;

/**
 * A secret of small letters only, in lookalike letters of any case, with SPLIT_RUN_SOURCE (any run
 * of whitespace or "+", or their escapes) between any two of them: "correcthorsebattery" quoted as "correct horse battery", or across lines. The
 * piece search (secret-pieces.ts) leaves runs of small letters alone (they are words), so its
 * pieces are not looked for; the whole secret split so reads as no normal words.
 */
function splitWordSource(word: string): string {
  return [...word].map((char) => wordSource(char, true)).join(SPLIT_RUN_SOURCE);
}

/** The small ASCII letter a character past ASCII reads as (NFKC, either case), or null. */
let lettersPastAscii: ReadonlyMap<number, string> | null = null;

function asciiLetterOf(codePoint: number): string | null {
  if (lettersPastAscii === null) {
    const letters = new Map<number, string>();
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
      for (const variant of [letter, letter.toUpperCase()]) for (const form of formsOf(variant)) letters.set(form.codePointAt(0) as number, letter);
    }
    lettersPastAscii = letters;
  }
  return lettersPastAscii.get(codePoint) ?? null;
}

/**
 * splitWordSource's regex, searched in time proportional to the text (split-word-search.ts)
 * wherever a scrub replaces or lists its matches: as a plain global regex it was tried at every
 * place of the text, reading up to twice the secret's length from each.
 */
class SplitWordPattern extends RegExp {
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }

  readonly #letters: string;
  readonly #anchored: RegExp;

  constructor(letters: string) {
    const source = splitWordSource(letters);
    super(source, 'gu');
    this.#letters = letters;
    this.#anchored = new RegExp(source, 'uy');
  }

  #spans(text: string): Array<[number, number]> {
    return splitWordSpans(text, this.#letters, this.#anchored, asciiLetterOf);
  }

  override [Symbol.replace](text: string, replacement: string | ((substring: string, ...args: unknown[]) => string)): string {
    let out = '';
    let copied = 0;
    for (const [start, end] of this.#spans(text)) {
      const found = text.slice(start, end);
      out += text.slice(copied, start) + (typeof replacement === 'string' ? replacement : replacement(found, start, text));
      copied = end;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  override *[Symbol.matchAll](text: string): RegExpStringIterator<RegExpExecArray> {
    for (const [start, end] of this.#spans(text)) {
      const match = Object.assign([text.slice(start, end)], { index: start, input: text, groups: undefined }) as RegExpExecArray;
      yield match;
    }
  }
}

/**
 * The patterns (global) that find `secret` written in lookalike letters, in any case when it
 * is at least MIN_CASELESS_SECRET_LENGTH long (else as written, all in capitals or all in small
 * letters), with any run of whitespace for each of its own (see whitespaceFlexible in
 * secrets.ts, which this replaces). One pattern, or one per MAX_PATTERN_SECRET_LENGTH
 * characters of a longer secret (each piece is as secret as the whole); none for a secret whose
 * words make fewer than `minLength` characters. A secret of small letters only is found split
 * anywhere by whitespace too (splitWordSource). `wordsTouching`: a secret's words are found with
 * nothing between them too (a text read without its invisible characters, where a provider put one
 * in place of a space: secrets.ts, scrubReadingHidden).
 */
export function lookalikePatterns(secret: string, minLength: number, { wordsTouching = false }: { wordsTouching?: boolean } = {}): RegExp[] {
  const joined = wordsOf(secret).join(' ');
  if (joined.length < minLength) return [];
  if (joined.length < MIN_CASELESS_SECRET_LENGTH) {
    const cases = [...new Set([joined, joined.toUpperCase(), joined.toLowerCase()])];
    return [new RegExp(cases.map((form) => wordsSource(wordsOf(form), false, wordsTouching)).join('|'), 'gu')];
  }
  if (SMALL_LETTERS_ONLY.test(joined) && joined.length <= MAX_PATTERN_SECRET_LENGTH) return [new SplitWordPattern(joined)];
  // Pieces of even length: a short last one (a letter or two) found in any case would cut those letters from every answer.
  const pieceLength = Math.ceil(joined.length / Math.ceil(joined.length / MAX_PATTERN_SECRET_LENGTH));
  const patterns: RegExp[] = [];
  for (let start = 0; start < joined.length; start += pieceLength) {
    const words = wordsOf(joined.slice(start, start + pieceLength));
    if (words.join(' ').length >= MIN_CASELESS_SECRET_LENGTH) patterns.push(new RegExp(wordsSource(words, true, wordsTouching), 'gu'));
  }
  return patterns;
}

/** Letters, digits and "-._": what no encoder in use escapes. */
const ANCHOR_CHARACTERS = /[A-Za-z0-9._-]+/g;

/**
 * The pattern (not global) of a secret's longest run of letters, digits and "-._" (not its own
 * punctuation between two letters or digits) in lookalike letters of any case: an answer holding it may hide the rest of the secret behind escapes, so
 * it is read through (EscapedSecretSearch.mayHide). Null when the secret has no such run.
 */
export function lookalikeAnchor(secret: string): RegExp | null {
  let longest = '';
  // Cut at its own punctuation between letters or digits too: quoted with other punctuation in
  // its place (`Secret\nKey\t42`, OTHER_JOINER_SOURCE), the run as a whole is not there to find.
  const chars = [...secret];
  const cut = chars.map((char, at) => (JOINERS.includes(char) && isAsciiAlphanumeric(chars[at - 1]) && isAsciiAlphanumeric(chars[at + 1]) ? ' ' : char)).join('');
  for (const [run] of cut.matchAll(ANCHOR_CHARACTERS)) if (run.length > longest.length) longest = run;
  // Its start, in a long one: where the run is, so is its start (the anchor only says where to read through escapes).
  return longest === '' ? null : new RegExp(wordSource(longest.slice(0, MAX_PATTERN_SECRET_LENGTH), true), 'u');
}

/**
 * The fewest patterns lookalikeGate joins: one account's few (2-8) are left to run one by one as
 * before. Gated down to two, every account's scrub of every provider answer asked the joined regex
 * first, and `npm run bench:uncached-instructions` read 485.28 -> 564.66 M instructions an uncached
 * dashboard in one sitting (perf29 in docs/benchmark-history.md); the set of 20 accounts' secrets
 * (every-account-scrub.ts), some 60 patterns, is what the gate is for.
 */
const GATED_PATTERNS_LEAST = 16;

/** lookalikeGate's answers, per list of patterns (a Search's lists live as long as it does). */
const gates = new WeakMap<readonly RegExp[], RegExp | null>();

/**
 * One pattern (not global) matching where any of `patterns` made by `lookalikePatterns` matches,
 * but for the split-word ones (SplitWordPattern, whose places its own reader finds, not its
 * source): a text it finds nothing in, none of them finds anything in. Each pattern is a pass
 * over the text, one per secret and piece: the secrets of 20 accounts searched together
 * (every-account-scrub.ts) ran some 60 passes over each view of a text read through its escapes,
 * where this one regex reads it once (0.05-0.09 against 0.4-0.6 ms a 300-character text). Null
 * for fewer than GATED_PATTERNS_LEAST such patterns.
 */
export function lookalikeGate(patterns: readonly RegExp[]): RegExp | null {
  let gate = gates.get(patterns);
  if (gate === undefined) {
    const plain = patterns.filter((pattern) => !isSplitWordPattern(pattern));
    gate = plain.length < GATED_PATTERNS_LEAST ? null : new RegExp(plain.map((pattern) => `(?:${pattern.source})`).join('|'), 'u');
    gates.set(patterns, gate);
  }
  return gate;
}

/** Whether `pattern` finds its places with its own reader (SplitWordPattern): no gate stands for it. */
export const isSplitWordPattern = (pattern: RegExp): boolean => pattern instanceof SplitWordPattern;
