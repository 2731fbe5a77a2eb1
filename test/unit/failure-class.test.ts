import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { classifyTransportError, type FailureClass } from '../../src/upstream/failure-class.js';

const withCode = (code: string, extra: object = {}) => Object.assign(new Error(`connect ${code} provider.internal:443`), { code }, extra);

/** What /readyz and the logs say of a failed upstream attempt: a fixed word, never the error's text. */
describe('classifyTransportError', () => {
  it.each<[string, FailureClass]>([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['EAI_FAIL', 'dns'],
    ['EAI_NODATA', 'dns'],
    ['EAI_NONAME', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['ECONNABORTED', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['EPROTO', 'tls'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['EHOSTDOWN', 'unreachable'],
    ['ENETDOWN', 'unreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ])('reads %s as %s', (code, failure) => {
    expect(classifyTransportError(withCode(code))).toBe(failure);
  });

  it.each(['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_X509_CERT', 'INVALID_CERT_PURPOSE'])(
    'reads the certificate or TLS code %s as tls',
    (code) => {
      expect(classifyTransportError(withCode(code))).toBe('tls');
    },
  );

  it('reads codes that only look like TLS ones, and unknown codes, as other', () => {
    for (const code of ['XCERT_', 'CERTAINLY', 'MY_ERR_TLS_', 'UNABLE_TO_CONNECT', 'E_SOMETHING']) expect(classifyTransportError(withCode(code))).toBe('other');
  });

  it('looks through cause links and the errors of an AggregateError (a connect that tried several addresses)', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('ECONNREFUSED') });
    expect(classifyTransportError(wrapped)).toBe('refused');
    const aggregate = new AggregateError([new Error('no code'), withCode('EHOSTUNREACH')], 'all addresses failed');
    expect(classifyTransportError(new Error('outer', { cause: aggregate }))).toBe('unreachable');
    // The outer error's own code wins over its cause's.
    expect(classifyTransportError(withCode('ETIMEDOUT', { cause: withCode('ECONNRESET') }))).toBe('timeout');
    // An unknown code on the outside does not stop the search.
    expect(classifyTransportError(withCode('UND_ERR', { cause: withCode('ENOTFOUND') }))).toBe('dns');
  });

  it('is other for what holds no code: a bare error, a string, nothing, a code that is not text', () => {
    expect(classifyTransportError(new Error('socket hang up'))).toBe('other');
    expect(classifyTransportError('ECONNREFUSED')).toBe('other');
    expect(classifyTransportError(null)).toBe('other');
    expect(classifyTransportError(undefined)).toBe('other');
    expect(classifyTransportError({ code: 111 })).toBe('other');
    expect(classifyTransportError({ errors: 'ECONNREFUSED' })).toBe('other');
  });

  it('stops after a few links, so a cycle of causes cannot hang it', () => {
    const first: { code: string; cause?: unknown } = { code: 'UNKNOWN_A' };
    first.cause = { code: 'UNKNOWN_B', cause: first };
    expect(classifyTransportError(first)).toBe('other');
    // The eighth link is still read; the ninth is not.
    const chain = (depth: number, code: string): object => (depth === 0 ? { code } : { code: 'UNKNOWN', cause: chain(depth - 1, code) });
    expect(classifyTransportError(chain(7, 'ECONNRESET'))).toBe('reset');
    expect(classifyTransportError(chain(8, 'ECONNRESET'))).toBe('other');
  });
});

describe('UpstreamBudget (limits.maxUpstreamCallsPerRequest)', () => {
  it('allows exactly its limit of upstream calls, then refuses each further one as QUERY_TOO_COMPLEX', () => {
    const budget = new UpstreamBudget(3);
    for (let call = 0; call < 3; call++) budget.spend();
    const refusal = (() => {
      try {
        budget.spend();
        return null;
      } catch (error) {
        return error as GatewayError;
      }
    })();
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal?.code).toBe('QUERY_TOO_COMPLEX');
    expect(refusal?.message).toBe('this request needs more than 3 upstream calls (limits.maxUpstreamCallsPerRequest); ask for fewer items');
    expect(() => budget.spend()).toThrow(GatewayError);
  });

  it('refuses the first call of a budget of none', () => {
    expect(() => new UpstreamBudget(0).spend()).toThrow('more than 0 upstream calls');
  });
});
