import { ERROR_CODES, type ErrorCode, type GatewayErrorDetails } from '../domain/errors.js';

/** A failure kept for replay: what the client was told, without a Retry-After that no longer holds. */
export interface KeptFailure {
  code: ErrorCode;
  message: string;
  details: Omit<GatewayErrorDetails, 'retryAfterSeconds'>;
}

export type IdempotencyRecord<T> =
  /**
   * `claim`: this claim's own, so one given up can be released without touching another's.
   * `lease`: its request renews `live:<claim>` while it runs (older versions' claims have none).
   */
  | { fingerprint: string; state: 'pending'; claim?: string; lease?: undefined }
  | { fingerprint: string; state: 'pending'; claim: string; lease: true }
  /** `claim` on an answer: the claim it replaced, so a write sent again knows its own (older versions' records have none). */
  | { fingerprint: string; state: 'done'; result: T; claim?: string }
  | { fingerprint: string; state: 'failed'; failure: KeptFailure; claim?: string }
  /**
   * A claim whose request was refused without acting, kept a few seconds in place of a release:
   * requests that were waiting on that claim are told its refusal; any other takes the key, as a
   * released one.
   */
  | { fingerprint: string; state: 'refused'; claim: string; failure: KeptFailure };

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
const STRING_DETAILS = ['provider', 'providerCode', 'capability'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isKeptFailure(value: unknown): value is KeptFailure {
  if (!isObject(value) || typeof value.code !== 'string' || !KNOWN_CODES.has(value.code) || typeof value.message !== 'string') return false;
  const { details } = value;
  if (!isObject(details)) return false;
  if (STRING_DETAILS.some((name) => details[name] !== undefined && typeof details[name] !== 'string')) return false;
  return details.fields === undefined || (Array.isArray(details.fields) && details.fields.every((field) => typeof field === 'string'));
}

/**
 * Whether a value read under a key's record is one this version can act on.
 * The store is shared (Redis): another version of the gateway, or another
 * writer, may have left a record of another shape under the same key. Read as
 * this version's, a `done` without a result answered a non-null payload with
 * null (INTERNAL_SERVER_ERROR), a `failed` without its failure threw, and an
 * unknown state was waited on for a minute as "still in progress". Every
 * mutation answers a non-null payload, so a `done` must hold one.
 */
export function isIdempotencyRecord(value: unknown): value is IdempotencyRecord<unknown> {
  if (!isObject(value) || typeof value.fingerprint !== 'string') return false;
  switch (value.state) {
    case 'pending':
      return (value.claim === undefined || typeof value.claim === 'string') && (value.lease === undefined || (value.lease === true && typeof value.claim === 'string'));
    case 'done':
      return value.result !== undefined && value.result !== null;
    case 'failed':
      return isKeptFailure(value.failure);
    case 'refused':
      return typeof value.claim === 'string' && isKeptFailure(value.failure);
    default:
      return false;
  }
}
