import { errorsBehind } from './errors-behind.js';

/**
 * Why an upstream attempt failed, in words an operator can act on. Only these
 * fixed names reach /readyz and the logs: never the error's message, which can
 * hold the provider's host name or URL. `credentials` is the provider refusing
 * the account's credentials (a data call answered 401 or 403, statusError; a
 * refused login; a refused fixed token or session), never a transport error.
 */
export type FailureClass = 'dns' | 'refused' | 'reset' | 'unreachable' | 'tls' | 'timeout' | 'http_5xx' | 'rate_limited' | 'redirect' | 'credentials' | 'other';

const BY_CODE: Record<string, FailureClass> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  EPROTO: 'tls',
  UND_ERR_SOCKET: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

/** OpenSSL's certificate verdicts and Node's TLS errors (ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED, ...). */
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_)|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|_CERT(_|$)/;

/**
 * The class of a transport error from undici or Node, looking through
 * `cause` links and an AggregateError's `errors` (a connect that tried
 * several addresses).
 */
export function classifyTransportError(error: unknown): FailureClass {
  for (const current of errorsBehind(error)) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    const known = BY_CODE[code];
    if (known) return known;
    if (TLS_CODE.test(code)) return 'tls';
  }
  return 'other';
}
