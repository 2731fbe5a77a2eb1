import { z } from 'zod';
import { closestKey } from '../config/did-you-mean.js';
import { utcOffsetZoneProblem } from '../config/utc-offset-zone.js';
import { upstreamOverridesShape } from '../upstream/defaults.js';

/** An account's zone when its config names none. */
export const DEFAULT_TIMEZONE = 'UTC';

/**
 * Accepts only zones this Node.js knows, so a typo fails at start-up, not at the first schedule.
 * A UTC offset is refused whatever the Node.js: newer ones take `+02:00` as a zone, and one file
 * was valid under one Node.js and refused under another.
 */
export const timezoneSchema = z.string().refine(
  (zone) => {
    if (utcOffsetZoneProblem(zone) !== undefined) return false;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => unknownZoneMessage(issue.input) },
);

/** A misspelt zone (`Europe/Amsterdm`) is told the zone it most likely meant, as an unknown key is; an example alone left the newcomer to find the slip. */
function unknownZoneMessage(input: unknown): string {
  const offset = utcOffsetZoneProblem(input);
  if (offset !== undefined) return offset;
  const nearest = typeof input === 'string' ? closestKey(input, Intl.supportedValuesOf('timeZone')) : null;
  return nearest === null ? 'must be an IANA time zone such as Europe/Amsterdam' : `must be an IANA time zone: did you mean ${nearest}?`;
}

/**
 * An id that fails [a-z0-9-]+ (`Flex`, `zomro_nl`, `Zomro NL`) is told the id to write: "must match
 * [a-z0-9-]+" alone did not say that capitals, `_` and spaces are what it refuses.
 */
function invalidIdMessage(input: unknown): string {
  const written = typeof input === 'string' ? input.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') : '';
  const hint = written === '' || written.length > 64 ? '' : `: write ${written}`;
  return `must match [a-z0-9-]+ (lower-case letters, digits and -)${hint}`;
}

/** A port past 65535 fails the URL check alone, and "must be an http(s) URL" of an http URL leaves the port unsuspected. Quotes the port only: the rest may hold credentials. */
function portOutOfRange(input: unknown): string | undefined {
  const port = typeof input === 'string' ? /^https?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:@]*):(\d+)(?:[/?#]|$)/i.exec(input)?.[1] : undefined;
  return port !== undefined && Number(port) > 65_535 ? `: its port ${port} is out of range (1-65535)` : undefined;
}

/**
 * The API's base URL alone. The client keeps its origin and path only (upstream/client.ts): a
 * `user:password@`, `?query` or `#fragment` in it was accepted and dropped without a word (the
 * credentials, meant as auth, never sent), and the account refused or answered otherwise.
 */
const baseUrlSchema = z.url({
  protocol: /^https?$/,
  // A schema's own error beats the loader's "required" for a url left out; and "127.0.0.1:8080" needs the scheme shown.
  error: (issue) => (issue.input === undefined ? 'required' : `must be an http(s) URL${portOutOfRange(issue.input) ?? ', such as https://api.example.com/'}`),
}).refine(
  (text) => {
    // zod runs this after a failed URL check too: that text is already told 'must be an http(s) URL'.
    if (!URL.canParse(text)) return true;
    const url = new URL(text);
    return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  },
  { message: "must be the API's base URL alone: no user:password@ (put credentials in auth), ?query or #fragment, which the gateway would drop" },
);

/** Fields every provider account takes, whatever its kind: the upstream policy's overrides among them. */
export const providerCommonShape = {
  id: z.string().regex(/^[a-z0-9-]+$/, { error: (issue) => invalidIdMessage(issue.input) }).max(64),
  name: z.string().min(1).max(200).optional(),
  url: baseUrlSchema,
  /** Left out: UTC (DEFAULT_TIMEZONE), and a start-up warning for APIs with zone-less dates (config/default-timezone.ts). */
  timezone: timezoneSchema.optional(),
  ...upstreamOverridesShape,
  /** The read cache's time to live for this account (config/read-cache.ts). */
  cacheTtlMs: z.number().int().min(0).max(86_400_000).optional(),
  /** Identical reads in flight at once share one upstream request; `false` turns it off. */
  coalesceReads: z.boolean().optional(),
};

// Another type falls through to the loader's words (plain-issue-words.ts), which say what to write: "must be a string" did not.
export const requiredString = z.string({ error: (issue) => (issue.input === undefined ? 'required' : issue.input === null ? 'must not be empty' : undefined) }).min(1, 'must not be empty');

/**
 * For `auth` objects that take one of several credential shapes: keys of two
 * shapes at once are refused, naming them, and a missing key of the shape
 * begun is reported by name. Mixed keys were taken silently, one shape
 * winning by the client's order (Danube's `{ apiKey, username }` used the
 * key and ignored the login the operator meant to configure).
 */
export function requireOneOf(
  value: Record<string, unknown>,
  context: z.RefinementCtx,
  shapes: ReadonlyArray<readonly string[]>,
): void {
  const ways = authWays(shapes);
  // A key written at all counts, empty or not: it shows which way the operator meant.
  const begun = shapes.filter((keys) => keys.some((key) => value[key] !== undefined));
  if (begun.length > 1) {
    const given = [...new Set(begun.flat())].filter((key) => value[key] !== undefined);
    context.addIssue({ code: 'custom', path: [], message: `takes one way to authenticate, ${ways}, not keys of both (given: ${given.join(', ')})` });
    return;
  }
  const present = (key: string) => typeof value[key] === 'string' && value[key] !== '';
  if (shapes.some((keys) => keys.every(present))) return;
  const partial = shapes.find((keys) => keys.some(present)) ?? shapes[0] ?? [];
  for (const key of partial) {
    if (!present(key)) context.addIssue({ code: 'custom', path: [key], message: `required (auth takes ${ways})` });
  }
}

/**
 * The problem with an `auth` that is no set of keys: left out, written with nothing after its
 * colon (a credential line deleted under it), or a bare value. zod's "expected object, received
 * null" named no credential; this names the ways the kind takes. The value is not quoted: a bare
 * `auth: <token>` is a secret.
 */
export function authValueError(ways: string): (issue: z.core.$ZodRawIssue) => string | undefined {
  return (issue) => {
    if (issue.code !== 'invalid_type') return undefined;
    if (issue.input === undefined) return `required (auth takes ${ways})`;
    if (issue.input === null) return `has no credential (nothing after its colon): auth takes ${ways}`;
    return `must be keys, not a bare value: auth takes ${ways}`;
  };
}

/** `{ token } or { username, password }`: how problems name an auth's ways. */
export function authWays(shapes: ReadonlyArray<readonly string[]>): string {
  return shapes.map((keys) => `{ ${keys.join(', ')} }`).join(' or ');
}

/**
 * A provider entry's schema: the common fields, `kind`, then the kind's own
 * (in that order, which is the order config errors are reported in).
 */
export function providerEntrySchema<const Kind extends string, const Shape extends z.ZodRawShape>(kind: Kind, shape: Shape) {
  return z.object({ ...providerCommonShape, kind: z.literal(kind), ...shape }).strict();
}

/**
 * An `auth` object taking one of several credential shapes, each key an
 * optional string; a missing key of the shape begun is reported by name.
 */
export function credentialShapes<const Key extends string>(...shapes: ReadonlyArray<readonly [Key, ...Key[]]>) {
  const keys = [...new Set(shapes.flat())];
  const shape = Object.fromEntries(keys.map((key) => [key, z.string().optional()])) as { [K in Key]: z.ZodOptional<z.ZodString> };
  return z
    .object(shape, { error: authValueError(authWays(shapes)) })
    .strict()
    .superRefine((auth, context) => requireOneOf(auth as Record<string, unknown>, context, shapes));
}

/** A parsed provider entry as the registry sees it, whatever its kind. */
export type ProviderEntry = z.output<z.ZodObject<typeof providerCommonShape>> & { kind: string; auth: object };
