/**
 * A provider id the schema takes: only such an id is quoted in a problem or a warning (anything
 * else written where an id goes may be a misplaced secret).
 */
export const USABLE_ID = /^[a-z0-9-]{1,64}$/;

/**
 * A client name quoted in a problem: a plain word such as audit lines carry. The schema takes any
 * text of 1 to 100 characters, and a key pasted into `name` would be quoted with anything looser.
 */
export const USABLE_CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
