/**
 * The longest operation id a `subscribe` may carry. graphql-ws takes any string, and echoes it
 * in every `next`, `error` and `complete` of the operation: a 1 MiB id (a message may be the body
 * limit) made each update of a subscription a megabyte, and the connection's answers ids' worth.
 * Client libraries use short counters or UUIDs (36 characters).
 */
export const MAX_OPERATION_ID_LENGTH = 128;

/** The close reason for a subscribe whose id is longer; its code is graphql-ws's own for a malformed message (4400). */
export const OPERATION_ID_TOO_LONG = `Invalid message received: subscribe id longer than ${MAX_OPERATION_ID_LENGTH} characters`;

export const operationIdTooLong = (id: string): boolean => id.length > MAX_OPERATION_ID_LENGTH;
