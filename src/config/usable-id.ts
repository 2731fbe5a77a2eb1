/**
 * A provider id the schema takes: only such an id is quoted in a problem or a warning (anything
 * else written where an id goes may be a misplaced secret).
 */
export const USABLE_ID = /^[a-z0-9-]{1,64}$/;
