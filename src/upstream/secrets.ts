import { createHash } from 'node:crypto';

/** What a secret found in provider text becomes. */
export const REDACTED = '[redacted]';

/**
 * Shorter values are not scrubbed: replacing a 3-letter password everywhere
 * would mangle names and numbers in every answer. Configured secrets are
 * expected to be longer (the README says so).
 */
const MIN_SECRET_LENGTH = 6;

/**
 * Sessions and tokens obtained at run time since the last login (a fixed
 * ZStack session comes from the config instead). Bounded, as each one costs
 * a search per answer.
 */
const MAX_RUNTIME_SECRETS = 4;

/**
 * The ways a provider could quote a secret back: as sent, URL-encoded as
 * encodeURIComponent writes it (in a query or form body a space may be "+"),
 * JSON-escaped, with "/" escaped as "\/" (PHP's JSON encoder does that by
 * default) and, for a secret that goes out base64-encoded (a Basic header),
 * its base64 with or without padding and in the URL-safe alphabet. Only
 * those: each form costs a search per answer. Other encoders' choices (which
 * characters to escape, hex case, \u and HTML escapes) are read by
 * `canonicalEscapes` instead, so they need no forms of their own.
 */
export function encodedForms(secret: string, { base64 = false }: SecretOptions = {}): string[] {
  const urlEncoded = encodeURIComponent(secret);
  const forms = new Set<string>([secret, urlEncoded, urlEncoded.replaceAll('%20', '+'), JSON.stringify(secret).slice(1, -1)]);
  if (base64) {
    const encoded = Buffer.from(secret, 'utf8').toString('base64');
    forms.add(encoded);
    forms.add(encoded.replace(/=+$/, ''));
    forms.add(Buffer.from(secret, 'utf8').toString('base64url'));
  }
  for (const form of [...forms]) if (form.includes('/')) forms.add(form.replaceAll('/', '\\/'));
  // A form that holds another form of the same secret (padded base64 holds
  // the unpadded one) needs no search of its own: replacing the shorter one
  // leaves nothing of the secret but the "=", and each search is a pass over
  // every answer. Across secrets this is not done: "user:key" must go whole,
  // not leave "user:" behind.
  const kept: string[] = [];
  for (const form of [...forms].sort((a, b) => a.length - b.length)) {
    if (form.length >= MIN_SECRET_LENGTH && !kept.some((shorter) => form.includes(shorter))) kept.push(form);
  }
  return kept;
}

export interface SecretOptions {
  /** The secret is sent base64-encoded (inside a Basic header): look for its base64 forms too. */
  base64?: boolean;
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
  /** Every form to look for, longest first, so "user:password" goes before "password". */
  private forms: string[] = [];

  /** A configured secret, or one derived from it (a header value, a hash). */
  add(secret: string | null | undefined, options: SecretOptions = {}): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.fixed.has(secret)) return;
    this.fixed.set(secret, options);
    this.rebuild();
  }

  /** A session id or token obtained at run time; the newest few are kept. */
  addRuntime(secret: string | null | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.fixed.has(secret) || this.runtime.includes(secret)) return;
    this.runtime = [...this.runtime, secret].slice(-MAX_RUNTIME_SECRETS);
    this.rebuild();
  }

  /**
   * Forgets the run-time secrets; called just before a login, whose answer
   * must be read unscrubbed in case the provider hands out the same token
   * again (the token it returns is registered right after).
   */
  forgetRuntime(): void {
    if (this.runtime.length === 0) return;
    this.runtime = [];
    this.rebuild();
  }

  /** How many strings are searched for in each answer. */
  get size(): number {
    return this.forms.length;
  }

  /** `text` with every known secret, in any of its encodings, replaced by REDACTED. */
  scrub(text: string): string {
    const out = this.replaceForms(text);
    // Encoders differ in what they escape and how (\u, %2a or %2A, ~ or %7E, &#39; or &#x27;),
    // so a secret can hide in escapes no fixed form foresees. Search again in the text read
    // with its escapes written one way; only an answer with such an escape pays for it.
    if (!holdsOddEscape(out)) return out;
    const found = this.findForms(canonicalEscapes(out));
    return found.length === 0 ? out : redactEscaped(out, found);
  }

  private replaceForms(text: string): string {
    let out = text;
    // includes() first: a search per form is cheaper than a replace that finds nothing.
    for (const form of this.forms) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
    return out;
  }

  /**
   * Where the forms are in `view`, longest first as `replaceForms` takes them, in order and apart.
   * The characters taken are marked, so each hit is checked against its own length rather than
   * against every hit before it (an answer quoting an escaped secret 64,000 times took 7 s so).
   */
  private findForms(view: string): Array<[number, number]> {
    const found: Array<[number, number]> = [];
    let taken: Uint8Array | null = null;
    for (const form of this.forms) {
      for (let at = view.indexOf(form); at !== -1; ) {
        const end = at + form.length;
        taken ??= new Uint8Array(view.length);
        if (taken.subarray(at, end).includes(1)) {
          at = view.indexOf(form, at + 1);
          continue;
        }
        taken.fill(1, at, end);
        found.push([at, end]);
        // A later hit of this form starting before `end` overlaps this one.
        at = view.indexOf(form, end);
      }
    }
    return found.sort((a, b) => a[0] - b[0]);
  }

  private rebuild(): void {
    const forms = new Set<string>();
    for (const [secret, options] of this.fixed) for (const form of encodedForms(secret, options)) forms.add(form);
    for (const secret of this.runtime) for (const form of encodedForms(secret)) forms.add(form);
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }
}

/**
 * `text` with each escape written one way, the way the forms are: a \uXXXX
 * escape or an HTML character reference as JSON.stringify would write its
 * character (the character itself, or \" \\ \n and the like, or a lower-case
 * \u00XX for other control characters and lone surrogates); a %XX escape as
 * encodeURIComponent would write its byte (the character where it leaves
 * one alone, else %XX in upper case). Other JSON escapes are kept, and an
 * escaped backslash is read whole, so in one followed by "u0041" the "u0041"
 * is left alone. Only for searching: the answer itself keeps its own escapes.
 */
export function canonicalEscapes(text: string): string {
  return text.replace(ESCAPE, readEscape);
}

function readEscape(
  escape: string,
  high: string | undefined,
  low: string | undefined,
  unit: string | undefined,
  percent: string | undefined,
  decimal: string | undefined,
  hex: string | undefined,
  named: string | undefined,
): string {
  // Both halves match together or not at all.
  if (low !== undefined) return String.fromCharCode(parseInt(high as string, 16), parseInt(low, 16));
  if (unit !== undefined) return asJson(String.fromCharCode(parseInt(unit, 16)));
  if (percent !== undefined) return readPercent(percent);
  if (named !== undefined) return asJson(HTML_NAMED[named.toLowerCase()] as string);
  // An escaped backslash, read only so that what follows it is not taken for an escape.
  if (decimal === undefined && hex === undefined) return escape;
  const codePoint = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex as string, 16);
  return codePoint > 0x10ffff ? escape : asJson(String.fromCodePoint(codePoint));
}

/** One byte's escape as encodeURIComponent would write it. */
function readPercent(hex: string): string {
  const char = String.fromCharCode(parseInt(hex, 16));
  return encodeURIComponent(char) === char ? char : `%${hex.toUpperCase()}`;
}

const asJson = (char: string): string => JSON.stringify(char).slice(1, -1);

const HTML_NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

/**
 * A surrogate pair, or one \uXXXX, or an escaped backslash (kept as it is:
 * it is matched so that the "u0041" after it is not read as an escape), or a
 * %XX escape, or an HTML character reference: decimal, hex, or one of the
 * names HTML and XML escapers use for " & < > and '.
 */
const ESCAPE = /\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\\\|%([0-9a-fA-F]{2})|&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(quot|amp|lt|gt|apos|QUOT|AMP|LT|GT));/g;

/**
 * Whether `text` has an escape `canonicalEscapes` writes another way. Asked
 * of every answer that holds a "%" or an "&", and URLs are full of both: a
 * search for each one and a match anchored there costs a fraction of a regex
 * scan of the whole text.
 */
function holdsOddEscape(text: string): boolean {
  return text.includes('\\u') || matchesAtEach(text, '%', ODD_PERCENT) || matchesAtEach(text, '&', HTML_REFERENCE);
}

function matchesAtEach(text: string, marker: string, sticky: RegExp): boolean {
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    sticky.lastIndex = at;
    if (sticky.test(text)) return true;
  }
  return false;
}

/** A %XX escape `readPercent` writes another way: lower-case hex, or a byte encodeURIComponent leaves as its character (A-Z a-z 0-9 - _ . ! ~ * ' ( )). */
const ODD_PERCENT = /%(?:[0-9A-F][a-f]|[a-f][0-9a-fA-F]|2[1789ADE]|3\d|[46][1-9A-F]|[57][0-9A]|5F|7E)/y;
const HTML_REFERENCE = /&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|quot|amp|lt|gt|apos|QUOT|AMP|LT|GT);/y;

/** One escape of the text, and the part of the escape view it reads as. */
interface Escaped {
  at: number;
  end: number;
  viewAt: number;
  viewEnd: number;
}

/**
 * `text` with the parts its escape view holds secrets at (`found`: in order,
 * apart) replaced by REDACTED. An escape a secret begins or ends inside goes
 * whole: what is left of `\u0026` or `%e2` beside REDACTED would be no
 * escape at all. The rest of the text keeps its own escapes.
 */
function redactEscaped(text: string, found: ReadonlyArray<[number, number]>): string {
  const escapes = escapesOf(text);
  let out = '';
  let copied = 0;
  for (const [start, end] of found) {
    const from = Math.max(sourceOf(escapes, start).at, copied);
    out += text.slice(copied, from) + REDACTED;
    copied = sourceOf(escapes, end - 1).end;
  }
  return out + text.slice(copied);
}

function escapesOf(text: string): Escaped[] {
  const escapes: Escaped[] = [];
  let shift = 0;
  for (const match of text.matchAll(ESCAPE)) {
    const [escape, high, low, unit, percent, decimal, hex, named] = match;
    const read = readEscape(escape, high, low, unit, percent, decimal, hex, named);
    const at = match.index;
    escapes.push({ at, end: at + escape.length, viewAt: at + shift, viewEnd: at + shift + read.length });
    shift += read.length - escape.length;
  }
  return escapes;
}

/** The part of the text view character `index` comes from: the escape it belongs to, or its own character. */
function sourceOf(escapes: readonly Escaped[], index: number): { at: number; end: number } {
  // The last escape that starts at or before `index` (binary search: an answer may hold thousands).
  let low = 0;
  let high = escapes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((escapes[middle] as Escaped).viewAt <= index) low = middle + 1;
    else high = middle;
  }
  const before = escapes[low - 1];
  if (before && index < before.viewEnd) return before;
  const at = index + (before ? before.end - before.viewEnd : 0);
  return { at, end: at + 1 };
}
