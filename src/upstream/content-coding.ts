import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../domain/errors.js';

/**
 * What every provider request asks for: its answer as it is. RFC 9110 (12.5.3) reads a request
 * with no Accept-Encoding as taking any coding, and the gateway inflates none: a server (or a
 * proxy before it) that gzipped answers then failed every call as "malformed JSON".
 */
export const ANSWER_AS_IT_IS = { 'accept-encoding': 'identity' } as const;

/**
 * The content codings that compress (IANA's HTTP Content Coding Registry, and the `x-` names RFC
 * 9110 8.4.1 says to read as their own): a body in one is no text until inflated.
 */
const COMPRESSING = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'compress', 'x-compress', 'zstd', 'pack200-gzip', 'dcb', 'dcz']);

/**
 * Whether an answer comes in a compressing coding all the same. It is never inflated: a coded
 * answer of the size limit may stand for gigabytes (a gzip bomb). A name that is no coding (a
 * charset set there by mistake, `UTF-8`, or `none`) leaves the body read as it is, as before the
 * gateway asked for `identity`: nothing is inflated either way, and a body that is no JSON is
 * still refused as that.
 */
export function answerIsCoded(headers: IncomingHttpHeaders): boolean {
  const coding = headers['content-encoding'];
  if (coding === undefined) return false;
  return String(coding)
    .split(',')
    .some((name) => COMPRESSING.has(name.trim().toLowerCase()));
}

/** The refusal of a coded answer; the provider's own words (its coding's name) are not repeated. */
export const codedAnswer = (provider: string): GatewayError =>
  new GatewayError('PROVIDER_ERROR', `provider ${provider} sent a compressed answer (Content-Encoding) though asked for none (Accept-Encoding: identity): check a proxy in front of it`, {
    provider,
    providerCode: 'INVALID_RESPONSE',
  });
