import { z } from 'zod';

/** Accepts only zones this Node.js knows, so a typo fails at start-up, not at the first schedule. */
export const timezoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Amsterdam' },
);

const positiveInt = z.number().int().positive();

/** Fields every provider account takes, whatever its kind. */
export const providerCommonShape = {
  id: z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+').max(64),
  name: z.string().min(1).max(200).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  timezone: timezoneSchema.default('UTC'),
  timeoutMs: positiveInt.max(600_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  maxConcurrency: positiveInt.max(1_000).optional(),
  cacheTtlMs: z.number().int().min(0).max(86_400_000).optional(),
  breakerThreshold: positiveInt.max(1_000).optional(),
  breakerHalfOpenAfterMs: positiveInt.max(3_600_000).optional(),
  /** Issue 14: identical reads in flight at once share one upstream request; `false` turns it off. */
  coalesceReads: z.boolean().optional(),
};

export const requiredString = z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') }).min(1, 'must not be empty');

/** For `auth` objects that take one of two credential shapes: reports the missing key by name. */
export function requireOneOf(
  value: Record<string, unknown>,
  context: z.RefinementCtx,
  shapes: ReadonlyArray<readonly string[]>,
): void {
  const present = (key: string) => typeof value[key] === 'string' && value[key] !== '';
  if (shapes.some((keys) => keys.every(present))) return;
  const partial = shapes.find((keys) => keys.some(present)) ?? shapes[0] ?? [];
  for (const key of partial) {
    if (!present(key)) context.addIssue({ code: 'custom', path: [key], message: `required (auth takes ${shapes.map((keys) => `{ ${keys.join(', ')} }`).join(' or ')})` });
  }
}
