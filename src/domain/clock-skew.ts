/**
 * How far ahead of this replica's clock a time another replica wrote may be
 * and still be one: each replica stamps with its own clock. Further ahead is
 * no skew but a made-up or corrupt time.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
