import type { Capability } from './types.js';

/** The error codes a client can see (the list at the end of schema.graphql). */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNSUPPORTED',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_ERROR',
  'QUERY_TOO_COMPLEX',
  'SHUTTING_DOWN',
  'STORE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface GatewayErrorDetails {
  /** The provider account id involved, if any. */
  provider?: string;
  /** The provider's own error code (PROVIDER_ERROR). */
  providerCode?: string;
  /** The capability the provider lacks (UNSUPPORTED). */
  capability?: Capability;
  /** Whole seconds to wait before retrying (0 to a day), when the provider said so. */
  retryAfterSeconds?: number;
  /** The input fields a provider refused (BAD_USER_INPUT), as the gateway's input names. */
  fields?: string[];
}

/** What a provider code may look like to reach a client: a short token such as "SYS.1007" or "HTTP_404". */
const PROVIDER_CODE = /^[A-Za-z0-9._-]{1,40}$/;

function withoutProviderCode({ providerCode: _dropped, ...rest }: GatewayErrorDetails): GatewayErrorDetails {
  return rest;
}

/**
 * A provider's error code as a short token: the code itself if it is one,
 * its leading token if it is one followed by words ("SYS.1007: ..."),
 * `fallback` otherwise. A provider once put a password hash there, and a
 * 40-character prefix of a hash is still too much of it.
 */
export function clipProviderCode(code: unknown, fallback: string): string {
  if (typeof code !== 'string') return fallback;
  const token = /^[A-Za-z0-9._-]{1,40}(?![A-Za-z0-9._-])/.exec(code.trim());
  return token ? token[0] : fallback;
}

/**
 * The one error type that crosses layers. Its message is shown to clients, so
 * it must never hold a credential, an upstream URL or an upstream body: build
 * it from known words and short provider messages only.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details: GatewayErrorDetails;

  constructor(code: ErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    // The last guard: a provider code that is not a short token (a hash, a sentence) is dropped here.
    this.details = details.providerCode === undefined || PROVIDER_CODE.test(details.providerCode) ? details : withoutProviderCode(details);
  }
}

export const badInput = (message: string): GatewayError => new GatewayError('BAD_USER_INPUT', message);

export const notFound = (what: string, provider?: string): GatewayError =>
  new GatewayError('NOT_FOUND', `${what} not found`, provider ? { provider } : {});

export const conflict = (message: string, provider?: string): GatewayError =>
  new GatewayError('CONFLICT', message, provider ? { provider } : {});

/** The gateway began to stop before the operation reached the provider: nothing was sent, and another replica may take it. */
export const shuttingDown = (message: string, provider?: string): GatewayError =>
  new GatewayError('SHUTTING_DOWN', message, provider ? { provider } : {});

/**
 * The gateway's shared store (Redis) did not answer in time for a step that
 * must come before the provider call, so nothing was sent: a retry may
 * succeed once the store answers. Not INTERNAL_SERVER_ERROR (no fault of the
 * gateway's code) nor CONFLICT (no provider state forbids it): a client
 * retries this one, and an alert on the store's failures tells the operator.
 */
export const storeUnavailable = (message: string, provider?: string): GatewayError =>
  new GatewayError('STORE_UNAVAILABLE', message, provider ? { provider } : {});

export const unsupported = (provider: string, capability: Capability): GatewayError =>
  new GatewayError('UNSUPPORTED', `provider ${provider} does not support ${capability}`, { provider, capability });

export const providerError = (provider: string, message: string, providerCode?: string): GatewayError =>
  new GatewayError('PROVIDER_ERROR', message, providerCode === undefined ? { provider } : { provider, providerCode });

export const isGatewayError = (error: unknown): error is GatewayError => error instanceof GatewayError;

/**
 * Characters a provider's message may carry that are no visible text: C0
 * and C1 controls (an ESC starts a terminal sequence that recolours or
 * rewrites a log viewer's screen), the bidirectional marks, overrides and
 * isolates (they make a message read otherwise than it is written), and the
 * invisible ones that hide text (zero-width characters, soft hyphen, word
 * joiner and invisible operators, BOM, interlinear annotation, the Unicode
 * tag characters U+E0000-E007F), as well as lone surrogates.
 */
const NOT_TEXT =
  /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every character of NOT_TEXT shown as U+FFFD, its lines and spaces kept. */
export const visibleText = (text: string): string => text.replace(NOT_TEXT, '\ufffd');

/** The longest provider message a client or the log is shown. */
export const SHOWN_MESSAGE_LENGTH = 300;

/** Provider messages are shown to clients and logged: keep them short, single-line and free of control characters. */
export function clipProviderMessage(message: unknown, fallback = 'the provider reported an error', length = SHOWN_MESSAGE_LENGTH): string {
  if (typeof message !== 'string') return fallback;
  const oneLine = visibleText(message.replace(/\s+/g, ' ')).trim();
  if (oneLine === '') return fallback;
  if (oneLine.length <= length) return oneLine;
  // Never half a surrogate pair at the cut.
  const cut = /[\ud800-\udbff]/.test(oneLine.charAt(length - 4)) ? length - 4 : length - 3;
  return `${oneLine.slice(0, cut)}...`;
}
