import { BYTE_ESCAPE_HEAD_SOURCE } from './byte-escapes.js';
import { ESCAPE_HERE, LONG_FULL_WIDTH, readEscapes, sourceSpans, type Span } from './escape-reading.js';
import { HEX_DIGITS, REFERENCE_STARTS, followers, matchesAtEach } from './marker-matches.js';
import { isSplitWordPattern, lookalikeGate } from './lookalike-secrets.js';

/**
 * How many times an answer is read through its escapes. Each reading peels
 * one layer (HTML written as JSON escapes, a URL encoded twice, JSON inside a
 * JSON string); encoders do not nest deeper, and the bound caps what a
 * hostile answer can cost.
 */
export const MAX_READINGS = 4;

/** `text` read through until nothing changes, at most MAX_READINGS times. */
export function readThrough(text: string): string {
  let read = text;
  for (let reading = 0; reading < MAX_READINGS; reading++) {
    const next = readEscapes(read);
    if (next === read) break;
    read = next;
  }
  return read;
}

/**
 * Where secrets hide behind escapes: the forms a secret takes once read
 * (`readForms` in secrets.ts) are searched in an answer read through once,
 * twice, up to MAX_READINGS times, and each one found is traced back to the
 * characters and whole escapes of the answer that hold it.
 */
export class EscapedSecretSearch {
  /** A form's longest run of characters no encoder escapes; see `mayHide`. */
  private readonly anchors: string[];

  /**
   * `lookalikes`: secrets as `lookalike` (in secrets.ts) matches them, as a "\n" or "%0A" escape
   * read stands for whitespace a provider put in place of a space, and `&#xFF53;` for a
   * full-width letter. `lookalikeAnchors`: their anchors in lookalike letters of any case.
   */
  constructor(
    private readonly forms: readonly string[],
    private readonly lookalikes: readonly RegExp[] = [],
    private readonly lookalikeAnchors: readonly RegExp[] = [],
  ) {
    this.anchors = shortestFirstWithoutLonger(forms.map(anchorOf));
  }

  /**
   * The parts of `text` that hold a form behind escapes: in order, apart. `read` says whether to
   * read `text` through when the caller has asked `mayHide` of the whole answer `text` is a
   * piece of (see scrub-pieces.ts); else `mayHide(text)` says.
   */
  find(text: string, read?: boolean): Span[] {
    if (this.forms.length === 0 || !(read ?? this.mayHide(text))) return [];
    const views = [text];
    /** found[i]: the forms' places in views[i + 1]. */
    const found: Span[][] = [];
    for (let reading = 0; reading < MAX_READINGS; reading++) {
      const view = readEscapes(views[reading] as string);
      const unchanged = view === views[reading];
      // A piece told to read is searched once even when it holds no escape: the whole answer's
      // reading (changed elsewhere) holds it as it stands, and a form read from escapes of the
      // secret's own ("%41" in a password) may stand in it as read.
      if (unchanged && !(read === true && reading === 0)) break;
      views.push(view);
      found.push([...placesOf(this.forms, view), ...placesMatching(this.lookalikes, view)]);
      if (unchanged) break;
    }
    let spans: Span[] = [];
    for (let reading = found.length - 1; reading >= 0; reading--) {
      const here = merged([...(found[reading] as Span[]), ...spans]);
      spans = here.length === 0 ? here : merged(sourceSpans(views[reading] as string, here));
    }
    return spans;
  }

  /**
   * Whether reading `text` could show a form it does not show now; most
   * answers with escapes are spared the readings. Escapes that stand for
   * punctuation or non-ASCII leave a form's letters, digits and "-._" where
   * they are, so its anchor is in the text as it stands; only an escape that
   * stands for one of those, or for what starts an escape (% \ & #), can hide
   * the anchor too.
   */
  mayHide(text: string): boolean {
    return holdsEscape(text) && this.mayShow(text);
  }

  /**
   * `mayHide`'s second half: whether escapes `text` may hold could make a form (an escape of an
   * anchor's character, or an anchor itself). Asked of an answer's pieces (scrub-pieces.ts) one
   * at a time, as `holdsEscape` is: each holds for the whole answer when it holds for a piece.
   */
  mayShow(text: string): boolean {
    return readsAsAnchorOrEscapeStart(text) || this.anchors.some((anchor) => text.includes(anchor)) || this.lookalikeAnchors.some((anchor) => anchor.test(text));
  }
}

/** Letters, digits and "-._": what no encoder in use escapes. */
const ANCHOR_CHARACTERS = /[A-Za-z0-9._-]+/g;

function anchorOf(form: string): string {
  let longest = '';
  for (const [run] of form.matchAll(ANCHOR_CHARACTERS)) if (run.length > longest.length) longest = run;
  return longest;
}

/** A text holding a string also holds every part of it: only the shortest of nested strings need a search. */
function shortestFirstWithoutLonger(strings: readonly string[]): string[] {
  const kept: string[] = [];
  for (const string of [...new Set(strings)].sort((a, b) => a.length - b.length)) if (!kept.some((shorter) => string.includes(shorter))) kept.push(string);
  return kept;
}

/** Whether `text` holds an escape at all. */
export function holdsEscape(text: string): boolean {
  return matchesAtEach(text, '\\', ESCAPE_HERE, AFTER_BACKSLASH) || matchesAtEach(text, '%', ESCAPE_HERE, AFTER_PERCENT) || matchesAtEach(text, '&', ESCAPE_HERE, AFTER_AMPERSAND);
}

/** What a backslash escape (escape-reading.ts) has after its backslash, and after an "x" or "U": a hex digit. */
const AFTER_BACKSLASH = followers('uUx01234567"\'\\/bfnrt', 'Ux');
/** What a %XX escape has after "%". */
const AFTER_PERCENT = followers(HEX_DIGITS);
/** What an HTML reference has after "&". */
const AFTER_AMPERSAND = followers(REFERENCE_STARTS);

function readsAsAnchorOrEscapeStart(text: string): boolean {
  return (
    matchesAtEach(text, '\\', ANCHOR_OR_START_BACKSLASH, ANCHOR_OR_START_AFTER_BACKSLASH) ||
    matchesAtEach(text, '%', ANCHOR_OR_START_PERCENT, ANCHOR_OR_START_AFTER_PERCENT) ||
    matchesAtEach(text, '&', ANCHOR_OR_START_HTML, AFTER_AMPERSAND)
  );
}

/** A full-width form's escape: `\uFFXX` (U+FF00-U+FF5F), `\U0000ffXX`, `\u{ffXX}`, or the lead of its UTF-8 (EF BC, EF BD) as `\xNN`. */
const FULL_WIDTH_BACKSLASH = `u[fF]{2}[0-5][0-9a-fA-F]|${LONG_FULL_WIDTH}|u\\{0*[fF]{2}[0-5][0-9a-fA-F]\\}|x[eE][fF]\\\\x[bB][cCdD]`;
/** The bytes of # % & - . 0-9 A-Z \ _ a-z, in hex of either case. */
const ANCHOR_OR_START_BYTE = '(?:2[356DdEe]|3\\d|[46][1-9A-Fa-f]|[57][0-9Aa]|5[CcFf])';
/**
 * `\xXX`, `\u00XX`, `\U000000XX` (byte-escapes.ts) and `\u{XX}` of such a byte, and an octal escape that may be one (any of three
 * digits below 0200; of two, those of such bytes): a Windows path's `\2024` is none. And the
 * escapes of a full-width letter or digit (U+FF01-U+FF5E: `\uFF53`, `\U0000ff53`, `\u{ff53}`, UTF-8's lead
 * `\xef\xbc` and `\xef\xbd`), which read as a lookalike of one.
 */
const ANCHOR_OR_START_BACKSLASH = new RegExp(
  `\\\\(?:${BYTE_ESCAPE_HEAD_SOURCE}${ANCHOR_OR_START_BYTE}|u\\{0*${ANCHOR_OR_START_BYTE}\\}|[01][0-7]{2}|4[356]|5[56]|6[0-7]|7[01]|${FULL_WIDTH_BACKSLASH})`,
  'y',
);
/** What ANCHOR_OR_START_BACKSLASH's alternatives have after the backslash, and after an "x" or "U": a hex digit. */
const ANCHOR_OR_START_AFTER_BACKSLASH = followers('uUx01234567', 'Ux');
/** What ANCHOR_OR_START_PERCENT's have after "%". */
const ANCHOR_OR_START_AFTER_PERCENT = followers('234567eE');
const ANCHOR_OR_START_PERCENT = new RegExp(`%(?:${ANCHOR_OR_START_BYTE}|[eE][fF]%[bB][cCdD])`, 'y');
/** Any number (it may be a letter), or a name HTML has for # % & \ . or _. */
const ANCHOR_OR_START_HTML = /&(?:#|amp|AMP|num;|percnt;|bsol;|period;|lowbar;|UnderBar;)/y;

/** Where `forms` are in `view`; a hit inside or across another is made one with it by `merged`. */
function placesOf(forms: readonly string[], view: string): Span[] {
  const found: Span[] = [];
  for (const form of forms) for (let at = view.indexOf(form); at !== -1; at = view.indexOf(form, at + form.length)) found.push([at, at + form.length]);
  return found;
}

/** Where `patterns` (global) match in `view`. */
function placesMatching(patterns: readonly RegExp[], view: string): Span[] {
  const found: Span[] = [];
  // One pass says whether any but the split-word patterns can match at all (lookalikeGate).
  const gate = lookalikeGate(patterns);
  const plainMayMatch = gate === null || gate.test(view);
  for (const pattern of patterns) {
    if (!plainMayMatch && !isSplitWordPattern(pattern)) continue;
    for (const match of view.matchAll(pattern)) found.push([match.index, match.index + match[0].length]);
  }
  return found;
}

/** `spans` in order, overlapping ones made one (touching ones stay two: two secrets side by side are two holes). */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
