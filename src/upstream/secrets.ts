import { createHash } from 'node:crypto';
import { nextTurn } from '../domain/turns.js';
import { escapeEatenStarts } from './escape-eaten-starts.js';
import { Base64Edges } from './base64-edges.js';
import { paddingEnd } from './base64-padding.js';
import type { Span } from './escape-reading.js';
import { type JoinersRead, spansInSource, stretchesAroundEscapes } from './escaped-joiners.js';
import { EscapedSecretSearch, holdsEscape, readThrough } from './escaped-secrets.js';
import { hexForms } from './hex-secrets.js';
import { joinersRead } from './joiners-read.js';
import { holdsHidden, readHidden } from './invisible-characters.js';
import { LetterRunPieceSearch } from './letter-run-pieces.js';
import { isSplitWordPattern, lookalikeAnchor, lookalikeGate, lookalikePatterns, wordsOf } from './lookalike-secrets.js';
import { RememberedScrubs } from './remembered-scrubs.js';
import { ownCopy } from './remembered-spans.js';
import { piecesOf, separatorsBeside } from './scrub-pieces.js';
import { SecretPiecesByJoiners } from './secret-piece-groups.js';

/** What a secret found in provider text becomes. */
export const REDACTED = '[redacted]';

/**
 * Shorter values are not scrubbed: replacing a 3-letter password everywhere
 * would mangle names and numbers in every answer. Configured secrets are
 * expected to be longer (the README says so); `--check-config` and start-up
 * warn of each one that is not (src/config/short-secrets.ts).
 */
export const MIN_SECRET_LENGTH = 6;

/**
 * Sessions and tokens obtained at run time, the newest few (a fixed ZStack
 * session comes from the config instead). Bounded, as each one costs a
 * search per answer; more than one, as a request sent with the session a
 * login replaced may still be waiting for its answer.
 */
const MAX_RUNTIME_SECRETS = 4;

/**
 * The ways a provider could quote a secret back: as sent, URL-encoded as
 * encodeURIComponent writes it (in a query or form body a space may be "+"),
 * JSON-escaped, with "/" escaped as "\\/" (PHP's JSON encoder does that by
 * default), all in capitals or all in small letters, with each quote doubled
 * (SQL's and CSV's escape) and, for a secret that goes out base64-encoded (a
 * Basic header), its base64 as `base64Forms` has it. Only
 * those: each form costs a search per answer. Other encoders' choices, and
 * escapes inside escapes, are found by reading the answer through
 * (`readForms`), so they need no forms of their own.
 */
export function encodedForms(secret: string, { base64 = false }: SecretOptions = {}): string[] {
  const urlEncoded = encodeURIComponent(secret);
  const forms = new Set<string>([secret, urlEncoded, urlEncoded.replaceAll('%20', '+'), JSON.stringify(secret).slice(1, -1), ...otherCases(secret), ...quotesDoubled(secret), ...latin1ReadAsUtf8(secret)]);
  if (base64) for (const form of base64Forms(secret)) forms.add(form);
  for (const form of [...forms]) if (form.includes('/')) forms.add(form.replaceAll('/', '\\/'));
  return [...withoutLongerForms(forms), ...(base64 ? wholeBase64(secret) : [])];
}

/**
 * What a secret looks like in an answer once the answer's escapes are read
 * (EscapedSecretSearch searches for these): the secret itself, with each space
 * a "+" (a form body), its base64 as `encodedForms` has it, and the secret as
 * it reads itself if it holds text that reads as an escape (a "%41" in a
 * password reads as "A" with the rest of an answer read through).
 */
export function readForms(secret: string, { base64 = false }: SecretOptions = {}): string[] {
  const forms = new Set<string>([secret, secret.replaceAll(' ', '+'), readThrough(secret), ...otherCases(secret), ...quotesDoubled(secret)]);
  if (base64) for (const form of base64Forms(secret)) forms.add(form);
  return [...withoutLongerForms(forms), ...(base64 ? wholeBase64(secret, READ_PADDINGS) : [])];
}

/**
 * A secret's whole base64 (both alphabets) where its last character holds bits of the secret and
 * of the padding: searched beside the aligned form it holds, and replaced first (longest first),
 * so a quoted header loses that character too, not only the aligned run. With its padding too, as
 * written (`=`), URL-encoded (`%3D`, `%3d`) and as Gson's HTML-safe JSON writes it (`\u003d`):
 * a quoted `Basic ...==` left `[redacted]==` behind, the secret's length mod 3 (`readForms` has
 * it with "=" alone: other escapes of it are read through).
 */
function wholeBase64(secret: string, paddings: readonly string[] = WRITTEN_PADDINGS): string[] {
  const padding = paddingOf(secret);
  return unpaddedWholeBase64(secret).flatMap((whole) => [...paddings.map((pad) => whole + pad.repeat(padding)), whole]);
}

/** How many "=" a secret's base64 ends in. */
const paddingOf = (secret: string): number => (3 - (Buffer.byteLength(secret, 'utf8') % 3)) % 3;

/** A padded secret's whole base64 without its padding, in both alphabets (none when its base64 has no padding). */
function unpaddedWholeBase64(secret: string): string[] {
  if (paddingOf(secret) === 0) return [];
  const encoded = Buffer.from(secret, 'utf8').toString('base64url');
  return [encoded.replaceAll('-', '+').replaceAll('_', '/'), encoded].filter((form, index, all) => all.indexOf(form) === index);
}

/**
 * Each base64-sent secret's whole base64 without its padding, and how many "=" it ends in: where
 * one is found as it stands, the padding after it goes too however it is written (paddingEnd).
 */
function paddedWholes(fixed: ReadonlyArray<[string, SecretOptions]>): Map<string, number> {
  const wholes = new Map<string, number>();
  for (const [secret, options] of fixed) if (options.base64 === true) for (const whole of unpaddedWholeBase64(secret)) wholes.set(whole, paddingOf(secret));
  return wholes;
}

/** Base64's padding character as encoders write it in an answer (`encodedForms`). */
const WRITTEN_PADDINGS = ['=', '%3D', '%3d', '\\u003d'];
/** The same once the answer's escapes are read (`readForms`): the escapes read as "=". */
const READ_PADDINGS = ['='];

/**
 * A secret as lookalikePatterns finds it (none for one too short): with any run
 * of whitespace in place of each of its own (a provider may quote "correct
 * horse" as "correct\nhorse", and the message built from its words makes every
 * run one space, clipProviderMessage, which put the exact password together
 * after the scrub had passed it by), in other case (long enough secrets) and
 * in letters NFKC reads as its own (full-width). Whitespace at either end is
 * left out: a message is trimmed too, and a password file's last line may end
 * in whitespace the provider does not quote.
 */
export function lookalike(secret: string): RegExp[] {
  return lookalikePatterns(secret, MIN_SECRET_LENGTH);
}


/**
 * A secret all in capitals and all in small letters. Hex is the same value in either case, and
 * encoders differ as for %2a and %2A (Java's `printHexBinary` and .NET's `ToString("X")` write
 * upper case): quoted upper-cased, the hash the ZStack login sends reached answers and logs. Any
 * other key may be quoted so too (an error code or a log line upper-casing what it was sent).
 * Mixed case, for secrets long enough, is `lookalike`'s: a pattern, not a form.
 */
function otherCases(secret: string): string[] {
  return [secret.toUpperCase(), secret.toLowerCase()];
}

/** A secret holding a quote with each quote doubled, as SQL (' in a statement an error quotes) and CSV (") escape one. */
function quotesDoubled(secret: string): string[] {
  return [secret.replaceAll("'", "''"), secret.replaceAll('"', '""')].filter((form) => form !== secret);
}

/**
 * A secret with letters past ASCII (all within Latin-1) as a provider's Latin-1 answer shows it
 * when it names no charset: read as UTF-8, JSON's own, each such letter is a U+FFFD, and the rest
 * of the secret went out ("Gr\ufffd\ufffde-aus-K\ufffdln"). A charset named is read as such
 * (answer-body.ts), where the secret is whole.
 */
function latin1ReadAsUtf8(secret: string): string[] {
  return /[\u0080-\u00ff]/.test(secret) && /^[\u0000-\u00ff]*$/.test(secret) ? [Buffer.from(secret, 'latin1').toString('utf8')] : [];
}

/**
 * Where a secret sent base64-encoded can be quoted: its base64 as the start of an encoded text
 * (the header's own value, or "user:password" with a line break after it) and at each of the
 * other two alignments (a longer text holding it at a place not divisible by 3: a request body,
 * a log line a provider encoded), in both alphabets; and the same of its base64 encoded once
 * more (an echoed header value base64-encoded again). Each is the run of characters made only of
 * the secret's bits: the character at either end that holds bits of what is around it is left,
 * at most two bits of the secret's last byte.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const once = Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'latin1');
  const forms: string[] = [];
  for (const source of [bytes, once]) {
    for (const offset of [0, 1, 2]) {
      const aligned = alignedBase64(source, offset);
      forms.push(aligned, aligned.replaceAll('+', '-').replaceAll('/', '_'));
    }
  }
  return forms;
}

/** What a secret goes out base64-encoded as, where it does: itself, and its base64 encoded again (base64Forms' sources). */
function base64Sources(secret: string): Buffer[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [bytes, Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'latin1')];
}

/** The base64 characters that `bytes` alone decide when `offset` bytes (mod 3) come before them. */
function alignedBase64(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/**
 * A form that holds another form of the same secret (padded base64 holds the
 * unpadded one) needs no search of its own: replacing the shorter one leaves
 * nothing of the secret but the "=", and each search is a pass over every
 * answer. Across secrets this is not done: "user:key" must go whole, not
 * leave "user:" behind.
 */
function withoutLongerForms(forms: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (const form of [...forms].sort((a, b) => a.length - b.length)) {
    if (form.length >= MIN_SECRET_LENGTH && !kept.some((shorter) => form.includes(shorter))) kept.push(form);
  }
  return kept;
}

export interface SecretOptions {
  /** The secret is sent base64-encoded (inside a Basic header): look for its base64 forms too. */
  base64?: boolean;
  /**
   * Any piece of MIN_PIECE_LENGTH characters of the secret (as sent, URL-encoded, base64) is
   * redacted too (secret-pieces.ts). Off for a value that is not secret throughout: a
   * "user:password" pair, whose password is declared on its own.
   */
  pieces?: boolean;
}

/** What pieces of a secret are looked for in (SecretPiecesByJoiners): the secret, URL-encoded, and its base64 at each alignment. */
function pieceSources(secret: string): string[] {
  return [secret, encodeURIComponent(secret), ...base64Forms(secret)];
}

/** Hex SHA-512, as ZStack's login sends it. */
export const sha512Hex = (value: string): string => createHash('sha512').update(value, 'utf8').digest('hex');

/**
 * One provider account's secret material, and the one scrubber every piece of
 * provider text goes through (UpstreamClient runs it over each answer's text
 * before parsing it): anything a provider says (error messages, names, notes,
 * raw records) reaches answers, logs and metrics only after it.
 *
 * Adapters declare their configured secrets and derived forms when built
 * (`src/providers/<kind>/secrets.ts`) and register sessions and tokens as
 * they obtain them.
 */
export class SecretSet {
  private readonly fixed = new Map<string, SecretOptions>();
  private runtime: string[] = [];
  private changed = 0;
  /** Every secret's search, and the configured secrets' alone (for a login's answer). */
  private all = new Search();
  private configured = new Search();

  /** A configured secret, or one derived from it (a header value, a hash). */
  add(secret: string | null | undefined, options: SecretOptions = {}): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.fixed.has(secret)) return;
    this.fixed.set(secret, options);
    this.rebuild();
  }

  /** A session id or token obtained at run time; the newest few are kept. */
  addRuntime(secret: string | null | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.fixed.has(secret)) return;
    // A login handing out a session held already makes it the newest again: kept where it was,
    // it was the first pushed out, while requests sent with it could still be answering.
    if (this.runtime.at(-1) === secret) return;
    this.runtime = [...this.runtime.filter((held) => held !== secret), secret].slice(-MAX_RUNTIME_SECRETS);
    this.rebuild();
  }

  /** How many times the secrets changed: a search built from them (SecretSet.joined) is stale when it moved. */
  get changes(): number {
    return this.changed;
  }

  /**
   * One set holding every secret of `sets` as each holds it (a secret two hold with other options
   * takes both: its base64 forms where either sends it so, its pieces where either looks for
   * them; a run-time secret as a configured one with pieces, which it is searched as). What it
   * leaves unchanged, every one of `sets` leaves unchanged (every-account-scrub.ts relies on it).
   */
  static joined(sets: readonly SecretSet[]): SecretSet {
    const options = new Map<string, SecretOptions>();
    const take = (secret: string, { base64 = false, pieces = true }: SecretOptions): void => {
      const held = options.get(secret);
      options.set(secret, { base64: base64 || held?.base64 === true, pieces: pieces || held?.pieces === true });
    };
    for (const set of sets) {
      for (const [secret, held] of set.fixed) take(secret, held);
      for (const secret of set.runtime) take(secret, {});
    }
    const joined = new SecretSet();
    for (const [secret, held] of options) joined.fixed.set(secret, held);
    // Its `scrub` alone is asked: the configured secrets' own search (a login's answer) is not built.
    joined.all = new Search(joined.searchFor([...joined.fixed], []));
    joined.changed += 1;
    return joined;
  }

  /** How many strings are searched for in each answer. */
  get size(): number {
    return this.all.size;
  }

  /** `text` with every known secret, in any of its encodings, replaced by REDACTED. */
  scrub(text: string): string {
    return this.all.scrub(text);
  }

  /**
   * `text` scrubbed of the configured secrets only: a login's answer, which
   * may hand out again a session still held here (read scrubbed, its token
   * would be REDACTED). The run-time secrets were once forgotten before each
   * login instead, and an answer still on its way to a request sent with the
   * replaced session then quoted it to the client and the log.
   */
  scrubConfigured(text: string): string {
    return this.configured.scrub(text);
  }

  /**
   * `scrub` (or `scrubConfigured` for a login's answer) of a whole provider answer, giving the
   * event loop a turn between pieces of about `charsPerTurn` characters of one longer than that
   * (a 32 MiB answer with escapes held it 0.4-0.5 s in one block). Scrubbed piece by piece, it
   * comes out as scrubbed whole (scrub-pieces.ts says where it is cut, and why there).
   */
  scrubAnswer(text: string, { login = false, charsPerTurn }: { login?: boolean; charsPerTurn: number }): Promise<string> {
    return (login ? this.configured : this.all).scrubInTurns(text, charsPerTurn);
  }

  private rebuild(): void {
    this.changed += 1;
    this.configured = new Search(this.searchFor([...this.fixed], []));
    this.all = new Search(this.searchFor([...this.fixed], this.runtime));
  }

  /** What each of encodedForms and readForms makes of these secrets. */
  private searchFor(fixed: ReadonlyArray<[string, SecretOptions]>, runtime: readonly string[]): SearchForms {
    const gather = (formsOf: (secret: string, options?: SecretOptions) => string[]): string[] => {
      const forms = new Set<string>();
      for (const [secret, options] of fixed) for (const form of formsOf(secret, options)) forms.add(form);
      for (const secret of runtime) for (const form of formsOf(secret)) forms.add(form);
      // Longest first, so "user:password" goes before "password".
      return [...forms].sort((a, b) => b.length - a.length);
    };
    const secrets = [...fixed.map(([secret]) => secret), ...runtime];
    const { lookalikes, lookalikesTouching, anchors } = patternsOf(secrets);
    // The hex forms beside each list: a secret's hex, as it stands or behind escapes, is no encoding its own forms foresee.
    const withHex = (formsOf: (secret: string, options?: SecretOptions) => string[]) => (secret: string, options?: SecretOptions): string[] => [...formsOf(secret, options), ...hexForms(secret)];
    const encoded = gather(withHex(encodedForms));
    const read = gather(withHex(readForms));
    const pieces = [...fixed.filter(([, options]) => options.pieces !== false).map(([secret]) => secret), ...runtime].map(pieceSources);
    const padded = paddedWholes(fixed);
    const edges = new Base64Edges(secrets.flatMap(base64Sources));
    const base64 = new Set(fixed.flatMap(([secret, options]) => (options.base64 === true ? base64Forms(secret) : [])));
    return { encoded, padded, edges, base64, read, lookalikes, lookalikesTouching, anchors, pieces, separators: separatorsBeside([...encoded, ...read, ...secrets, ...pieces.flat()]) };
  }
}

/** A secret's lookalike patterns, as `searchFor` uses them (`SearchForms`' fields of those names). */
interface SecretPatterns {
  lookalikes: RegExp[];
  lookalikesTouching: RegExp[];
  anchor: RegExp | null;
}

/**
 * Each secret's patterns, made once: building them is most of a rebuild's time (wordSource's
 * classes of lookalike letters), and every login rebuilds its account's set, and the set of every
 * account's secrets (SecretSet.joined) is rebuilt from the same secrets whenever any account's
 * change (0.5-1.3 s for 20 accounts made anew). The patterns are a secret's alone; the global
 * ones are read by `replace` and `matchAll`, which start each from 0 (matchAll on a copy), so
 * sets may share them. Bounded: past PATTERNS_HELD secrets, forgotten all at once.
 */
const patternsBySecret = new Map<string, SecretPatterns>();
const PATTERNS_HELD = 1024;

function patternsOf(secrets: readonly string[]): { lookalikes: RegExp[]; lookalikesTouching: RegExp[]; anchors: RegExp[] } {
  const lookalikes: RegExp[] = [];
  const lookalikesTouching: RegExp[] = [];
  const anchors: RegExp[] = [];
  for (const secret of secrets) {
    let held = patternsBySecret.get(secret);
    if (held === undefined) {
      held = {
        lookalikes: lookalike(secret),
        lookalikesTouching: wordsOf(secret).length > 1 ? lookalikePatterns(secret, MIN_SECRET_LENGTH, { wordsTouching: true }) : lookalike(secret),
        anchor: lookalikeAnchor(secret),
      };
      if (patternsBySecret.size >= PATTERNS_HELD) patternsBySecret.clear();
      patternsBySecret.set(secret, held);
    }
    lookalikes.push(...held.lookalikes);
    lookalikesTouching.push(...held.lookalikesTouching);
    if (held.anchor !== null) anchors.push(held.anchor);
  }
  return { lookalikes, lookalikesTouching, anchors };
}

interface SearchForms {
  /** Forms looked for as they stand (encodedForms). */
  encoded: string[];
  /** Of `encoded`, the whole base64 of secrets sent so without its padding, and how many "=" it ends in (paddedWholes). */
  padded: ReadonlyMap<string, number>;
  /** The characters at a secret's base64's ends that hold bits of it and of what is around it (base64-edges.ts). */
  edges: Base64Edges;
  /** Of `encoded`, the base64 forms (base64Forms): where one stands, its edge characters go with it. */
  base64: ReadonlySet<string>;
  /** Forms looked for through the answer's escapes (readForms). */
  read: string[];
  /** Each secret as `lookalike` finds it (other whitespace, case, full-width letters), as they stand and through escapes. */
  lookalikes: RegExp[];
  /**
   * The same, a multi-word secret's words found with nothing between them too: searched in a text
   * read without its invisible characters (scrubReadingHidden), where one may have stood in place
   * of a space (`correct\u200bhorse battery`) as well as inside a word.
   */
  lookalikesTouching: RegExp[];
  /** Each secret's longest run of letters and digits in lookalike letters (lookalikeAnchor): where it is, escapes may hide the rest. */
  anchors: RegExp[];
  /** What pieces of secrets are looked for in (pieceSources), secret by secret. */
  pieces: string[][];
  /** Where a large answer may be cut to be scrubbed a piece per turn (scrub-pieces.ts); null: nowhere. */
  separators: RegExp | null;
}

/** One set of secrets' search over a text: their forms as they stand, then through escapes. */
class Search {
  private readonly forms: readonly string[];
  private readonly padded: ReadonlyMap<string, number>;
  private readonly edges: Base64Edges;
  private readonly base64: ReadonlySet<string>;
  private readonly escaped: EscapedSecretSearch;

  private readonly lookalikes: readonly RegExp[];
  private readonly lookalikesTouching: readonly RegExp[];
  private readonly separators: RegExp | null;

  private readonly pieces: SecretPiecesByJoiners;
  private readonly letterRuns: LetterRunPieceSearch;
  /** What this search's scrub made of texts asked about again (remembered-scrubs.ts): the same secrets scrub a text alike. */
  private readonly remembered = new RememberedScrubs((text) => this.pieces.heldCopy(text) ?? ownCopy(text));

  constructor(forms: SearchForms = { encoded: [], padded: new Map(), edges: new Base64Edges([]), base64: new Set(), read: [], lookalikes: [], lookalikesTouching: [], anchors: [], pieces: [], separators: null }) {
    this.forms = forms.encoded;
    this.padded = forms.padded;
    this.edges = forms.edges;
    this.base64 = forms.base64;
    this.pieces = new SecretPiecesByJoiners(forms.pieces);
    this.letterRuns = new LetterRunPieceSearch(forms.pieces.map((sources) => sources[0] as string));
    this.lookalikes = forms.lookalikes;
    this.lookalikesTouching = forms.lookalikesTouching;
    this.escaped = new EscapedSecretSearch(forms.read, forms.lookalikes, forms.anchors);
    this.separators = forms.separators;
  }

  get size(): number {
    return this.forms.length;
  }

  scrub(text: string): string {
    return this.remembered.scrub(text, this.scrubUnremembered);
  }

  private readonly scrubUnremembered = (text: string): string => this.readAgain(text, this.scrubOnce(text));

  /**
   * `scrubbed` (what a scrub made of `text`) searched through its escapes once more where the scrub
   * redacted something: a REDACTED put in can end an escape before it that the answer read
   * otherwise (`&#x51;&#x78Dnb7Kq8R;`, a password as hex references, its last one's digits run on
   * into a piece of another secret, read U+078D; that piece redacted, `&#x78[redacted]` read "x",
   * and the password stood whole in the output). Only the search through escapes: the piece search
   * would take REDACTED's own letters for a piece's. An answer with no secret in it (nearly all) is
   * searched once, as before.
   */
  private readAgain(text: string, scrubbed: string): string {
    if (scrubbed === text) return scrubbed;
    const hidden = this.escaped.find(scrubbed);
    return hidden.length === 0 ? scrubbed : redacted(scrubbed, hidden);
  }

  private scrubOnce(text: string): string {
    if (holdsHidden(text)) return this.scrubReadingHidden(text);
    const out = this.replaceForms(text);
    // Encoders differ in what they escape and how (\u, %2a or %2A, &#39; or &apos;), and nest
    // (HTML inside JSON, a URL encoded twice): the rest hides behind escapes no form foresees.
    const hidden = this.escaped.find(out);
    return this.withoutPieces(hidden.length === 0 ? out : redacted(out, hidden));
  }

  /**
   * `text` without any piece of a secret (half of it in one field, a space or quote put inside
   * it) that no whole form matched. Last: a piece taken first would leave the rest of a secret
   * behind escapes unfound by the search that takes such a secret whole.
   */
  private withoutPieces(text: string, marking = false): string {
    const pieces = this.edges.widened(text, this.piecesIn(text));
    const out = pieces.length === 0 ? text : redacted(text, pieces, marking);
    // Then runs of letters of a letters-only secret, which the piece search takes for words (letter-run-pieces.ts).
    const letters = this.letterRunsIn(out);
    return letters.length === 0 ? out : redacted(out, letters, marking);
  }

  /**
   * Where runs of letters of a letters-only secret stand in `text`, as it stands and with its
   * escapes of letters read (escaped-joiners.ts: `%6E%69%67%68%74%6F%77%6C%70%61`, ten letters of
   * `nightowlpassword` a URL's reader reads, went out). Only for an account with such a secret, and
   * the reading only where the text holds an escape of a letter, a digit or punctuation beside one.
   */
  private letterRunsIn(text: string): Span[] {
    if (!this.letterRuns.looksForPieces) return [];
    const found = this.letterRuns.find(text);
    const read = joinersRead(text);
    if (read === null) return found;
    const more = spansInSource(read, this.letterRuns.find(read.text));
    return more.length === 0 ? found : overlapsJoined([...found, ...more]);
  }

  /**
   * Where pieces of secrets stand in `text`, and in it with the escapes of punctuation between
   * letters or digits read (escaped-joiners.ts: `Dnb7Kq8&lt;Rw2Zx4LmT` left 7 beside the escape).
   */
  private piecesIn(text: string): Span[] {
    const found = this.withEatenStarts(text, this.pieces.find(text));
    const read = joinersRead(text);
    if (read === null) return found;
    const more = spansInSource(read, this.piecesInReading(read, found));
    return more.length === 0 ? found : merged([...found, ...more]);
  }

  /**
   * `found` (the pieces in `text`) with those that start with the characters ending an escape the
   * piece search passes over (escape-eaten-starts.ts: `%2b7Kq8Rw2` for `b7Kq8Rw2...`).
   */
  private withEatenStarts(text: string, found: Span[]): Span[] {
    const starts = escapeEatenStarts(text, (first, second) => this.pieces.mayStartWith(first, second));
    const more = starts.length === 0 ? [] : this.pieces.startingAt(text, starts);
    return more.length === 0 ? found : merged([...found, ...more]);
  }

  /**
   * What piecesIn's search of the reading adds to `found` (the text's): the pieces around the
   * escapes read (stretchesAroundEscapes), where alone the reading differs from the text. Searched
   * whole, the reading cost a second pass over a long answer for one `a%2Fb` in it. A piece of
   * the reading elsewhere is one of `found`'s, so the spans come out the same; but for one thing:
   * where the reading holds a piece, `found`'s spans that touch are made one, so when nothing
   * turns up around the escapes and two of `found`'s touch, the reading is searched whole.
   */
  private piecesInReading(read: JoinersRead, found: readonly Span[]): Span[] {
    const stretches = stretchesAroundEscapes(read);
    if (stretches === null) return this.pieces.find(read.text);
    const near = this.pieces.findWithin(read.text, stretches);
    return near.length === 0 && touching(found) ? this.pieces.find(read.text) : near;
  }

  /**
   * `scrub` of a text holding characters a reader skips over, or whitespace escaped in a way the
   * searches do not read (invisible-characters.ts, escaped-whitespace.ts): what the searches find
   * in it as it stands, and in it read without the first and with each of the second a space
   * (`nightowl\u0001password` and `nightowl&nbsp;password` are the secret so), each traced back
   * to the text, redacted together. Both searches mark what they
   * find in place (MARK, the same length) instead of replacing it, so that what is found is where
   * it stands. The reading is searched with a multi-word secret's words found touching too
   * (lookalikesTouching): an invisible character taken out may have stood for its space
   * (`correct\u200bhorse battery`) as well as inside a word. Found as it stands too, since a secret holding such a character (or a piece beside
   * one) is only there. `read`: as in scrubInTurns, whether a piece of a longer answer is read
   * through its escapes (undefined: the text decides, as in `scrub`).
   */
  private scrubReadingHidden(text: string, read?: boolean): string {
    const spans = this.marked(text, read);
    const reading = readHidden(text);
    for (const [start, end] of this.marked(reading.text, read, this.lookalikesTouching)) spans.push([reading.places[start] as number, reading.ends[end - 1] as number]);
    return spans.length === 0 ? text : redacted(text, merged(spans));
  }

  /** Where `scrub`'s steps find secrets in `text`: each step marks what it finds (MARK, as long as it), so that later steps read the text as after a replace. */
  private marked(text: string, read: boolean | undefined, lookalikes = this.lookalikes): Span[] {
    const out = this.replaceForms(text, true, lookalikes);
    const hidden = read === false ? [] : this.escaped.find(out, read);
    return marksIn(text, this.withoutPieces(hidden.length === 0 ? out : redacted(out, hidden, true), true));
  }

  /**
   * `scrub`, a piece at a time with a turn between pieces for a text longer than `charsPerTurn`.
   * The steps are scrub's, each over every piece: the forms replaced, then whether escapes may
   * hide a secret asked of the answer as a whole (as `find` asks it of a whole text: a piece
   * without escapes of its own is read through when another piece has them), then the search
   * through escapes and the one for pieces of secrets (no piece crosses a cut: a cut is after a
   * character no secret holds, and the pieces pass over none such); then, as in `scrub`, the search
   * through escapes once more where something was redacted (`readAgain`), a piece per turn.
   */
  async scrubInTurns(text: string, charsPerTurn: number): Promise<string> {
    if (text.length <= charsPerTurn || this.separators === null) return this.scrub(text);
    const pieces = piecesOf(text, this.separators, charsPerTurn);
    if (pieces.length === 1) return this.scrub(text);
    // The search again as `scrub` does it: only an answer holding a secret pays it.
    return this.readPiecesAgain(pieces, await this.scrubPieces(pieces));
  }

  /**
   * `readAgain` a piece per turn. Over the whole answer at once it held the loop for one turn as
   * long as the answer (half a second for 4 MB holding secrets beside escapes). No escape crosses
   * a cut (scrub-pieces.ts), so a piece read through is the answer read through there; whether to
   * read is asked of the whole scrubbed answer, as `find` asks `mayHide` of a whole text, and only
   * pieces the scrub changed are read again (the others were searched so already).
   */
  private async readPiecesAgain(pieces: readonly string[], scrubbed: readonly string[]): Promise<string> {
    if (scrubbed.every((piece, index) => piece === pieces[index])) return scrubbed.join('');
    let escapes = false;
    let shows = false;
    for (const piece of scrubbed) {
      escapes ||= holdsEscape(piece);
      shows ||= this.escaped.mayShow(piece);
      if (escapes && shows) break;
      await nextTurn();
    }
    if (!(escapes && shows)) return scrubbed.join('');
    const out: string[] = [];
    for (const [index, piece] of scrubbed.entries()) {
      if (piece === pieces[index]) {
        out.push(piece);
        continue;
      }
      await nextTurn();
      const hidden = this.escaped.find(piece, true);
      out.push(hidden.length === 0 ? piece : redacted(piece, hidden));
    }
    return out.join('');
  }

  /** `scrubOnce` of the pieces of an answer, a turn between them: the pieces scrubbed, in order. */
  private async scrubPieces(pieces: readonly string[]): Promise<string[]> {
    const replaced: string[] = [];
    for (const piece of pieces) {
      replaced.push(this.replaceForms(piece));
      await nextTurn();
    }
    let escapes = false;
    let shows = false;
    for (const piece of replaced) {
      escapes ||= holdsEscape(piece);
      shows ||= this.escaped.mayShow(piece);
      if (escapes && shows) break;
      await nextTurn();
    }
    const read = escapes && shows;
    const scrubbed: string[] = [];
    for (const [index, piece] of replaced.entries()) {
      await nextTurn();
      const original = pieces[index] as string;
      if (holdsHidden(original)) {
        scrubbed.push(this.scrubReadingHidden(original, read));
        continue;
      }
      const hidden = read ? this.escaped.find(piece, true) : [];
      scrubbed.push(this.withoutPieces(hidden.length === 0 ? piece : redacted(piece, hidden)));
    }
    return scrubbed;
  }

  /** `text` with the forms and lookalike patterns replaced by REDACTED, or (`marking`) marked in place. */
  private replaceForms(text: string, marking = false, lookalikes = this.lookalikes): string {
    let out = text;
    // includes() first: a search per form is cheaper than a replace that finds nothing.
    for (const form of this.forms) {
      if (!out.includes(form)) continue;
      const padding = this.padded.get(form);
      if (padding !== undefined) out = withPaddingReplaced(out, form, padding, marking);
      else if (this.base64.has(form)) out = redacted(out, this.edges.widened(out, placesOf(out, form)), marking);
      else out = out.replaceAll(form, marking ? MARK.repeat(form.length) : REDACTED);
    }
    // One pass says whether any but the split-word patterns can match (lookalikeGate): while the
    // text is as that pass read it, those are skipped; once a pattern changed it, each is run.
    const gate = lookalikeGate(lookalikes);
    const gated = gate === null || gate.test(out) ? null : out;
    for (const pattern of lookalikes) {
      if (out === gated && !isSplitWordPattern(pattern)) continue;
      out = marking ? out.replace(pattern, marksFor) : out.replace(pattern, REDACTED);
    }
    return out;
  }
}

/** Where `form` stands in `text`, in order and apart (as replaceAll finds it). */
function placesOf(text: string, form: string): Span[] {
  const spans: Span[] = [];
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + form.length)) spans.push([at, at + form.length]);
  return spans;
}

/**
 * `text` with each `whole` (a secret's whole base64 without its padding) replaced by REDACTED, or
 * (`marking`) marked, with up to `padding` "=" after it however they are written (paddingEnd).
 */
function withPaddingReplaced(text: string, whole: string, padding: number, marking: boolean): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf(whole); at !== -1; at = text.indexOf(whole, copied)) {
    const end = paddingEnd(text, at + whole.length, padding);
    out += text.slice(copied, at) + (marking ? MARK.repeat(end - at) : REDACTED);
    copied = end;
  }
  return out + text.slice(copied);
}

/**
 * What a search marking what it finds (`Search.marked`) writes over each character found: a
 * noncharacter, which no secret holds and no search finds a secret in, so a text's own stays
 * unmarked (marksIn compares with the text).
 */
const MARK = '\ufdd0';
const marksFor = (found: string): string => MARK.repeat(found.length);

/** The runs of `marked` (`text` as Search.marked left it, of its length) that are marks and were not in `text`. */
function marksIn(text: string, marked: string): Span[] {
  const spans: Span[] = [];
  for (let at = marked.indexOf(MARK); at !== -1; at = marked.indexOf(MARK, at + 1)) {
    if (text.charCodeAt(at) === MARK.charCodeAt(0)) continue;
    const last = spans.at(-1);
    if (last && last[1] === at) last[1] = at + 1;
    else spans.push([at, at + 1]);
  }
  return spans;
}

/** Whether two of `spans` (in order) overlap or touch: `merged` would make them one. */
function touching(spans: readonly Span[]): boolean {
  for (let index = 1; index < spans.length; index++) if ((spans[index] as Span)[0] <= (spans[index - 1] as Span)[1]) return true;
  return false;
}

/** `spans` in order, overlapping or touching ones made one. */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * `spans` in order, overlapping ones made one and touching ones left two, as LetterRunPieceSearch
 * finds them: its runs of a text with an escape of a letter read are the text's, and redact the same.
 */
function overlapsJoined(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** `text` with `spans` (in order, apart) replaced by REDACTED, or (`marking`) each character in them by MARK. */
function redacted(text: string, spans: readonly Span[], marking = false): string {
  let out = '';
  let copied = 0;
  for (const [start, end] of spans) {
    out += text.slice(copied, start) + (marking ? MARK.repeat(end - start) : REDACTED);
    copied = end;
  }
  return out + text.slice(copied);
}
