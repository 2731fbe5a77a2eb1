/**
 * The longest wait passed on to a client (and to the retry backoff, which caps
 * it again): a provider asking for more is asked again tomorrow.
 */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Retry-After as whole seconds (rounded up, so a client that waits that long
 * is not early), within 0..MAX_RETRY_AFTER_SECONDS: delay-seconds, or an
 * HTTP-date (all its forms start with a day name). A negative delay or
 * anything else says nothing and is ignored.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const header = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!header) return undefined;
  const number = Number(header);
  if (Number.isFinite(number)) return number < 0 ? undefined : wholeSeconds(number);
  if (!/^[A-Za-z]/.test(header)) return undefined;
  const date = Date.parse(header);
  // A date already past: retry now.
  return Number.isNaN(date) ? undefined : wholeSeconds((date - now) / 1000);
}

const wholeSeconds = (seconds: number): number => Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil(seconds)));
