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
 * The ways a provider could quote a secret back: as sent, URL-encoded (query
 * or form body, where a space is "+"), JSON-escaped, with "/" escaped as
 * "\/" (PHP's JSON encoder does that by default) and, for a secret that goes
 * out base64-encoded (a Basic header), its base64 with or without padding and
 * in the URL-safe alphabet. Only those: each form costs a search per answer.
 */
export function encodedForms(secret: string, { base64 = false }: SecretOptions = {}): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]);
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
    if (!out.includes('\\u')) return out;
    // A JSON encoder may \u-escape any character (Rails escapes <, > and &; PHP everything
    // past ASCII), so a secret can hide in escapes no fixed form foresees. Search again with
    // the escapes written as JSON.stringify writes them; the text changes only if one was there.
    const canonical = canonicalJsonEscapes(out);
    const scrubbed = this.replaceForms(canonical);
    return scrubbed === canonical ? out : scrubbed;
  }

  private replaceForms(text: string): string {
    let out = text;
    // includes() first: a search per form is cheaper than a replace that finds nothing.
    for (const form of this.forms) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
    return out;
  }

  private rebuild(): void {
    const forms = new Set<string>();
    for (const [secret, options] of this.fixed) for (const form of encodedForms(secret, options)) forms.add(form);
    for (const secret of this.runtime) for (const form of encodedForms(secret)) forms.add(form);
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }
}

/**
 * JSON text with each \uXXXX escape written as JSON.stringify would write
 * that character: the character itself, or \" \\ \n and the like, or a
 * lower-case \u00XX for other control characters and lone surrogates. The
 * JSON means the same; a secret's JSON.stringify form can now be found in it.
 * Other escapes are kept, and read in pairs, so in an escaped backslash
 * followed by "u0041" the "u0041" is left alone.
 */
export function canonicalJsonEscapes(text: string): string {
  return text.replace(JSON_ESCAPE, (escape: string, high: string | undefined, low: string | undefined, single: string | undefined) => {
    // Both halves match together or not at all.
    if (low !== undefined) return String.fromCharCode(parseInt(high as string, 16), parseInt(low, 16));
    if (single === undefined) return escape;
    return JSON.stringify(String.fromCharCode(parseInt(single, 16))).slice(1, -1);
  });
}

/** A surrogate pair, or one \uXXXX, or any other escape (kept as it is). */
const JSON_ESCAPE = /\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})|\\[^u]/gi;
