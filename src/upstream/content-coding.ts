import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../domain/errors.js';

/**
 * What every provider request asks for: its answer as it is. RFC 9110 (12.5.3) reads a request
 * with no Accept-Encoding as taking any coding, and the gateway inflates none: a server (or a
 * proxy before it) that gzipped answers then failed every call as "malformed JSON".
 */
export const ANSWER_AS_IT_IS = { 'accept-encoding': 'identity' } as const;

/**
 * Whether an answer comes in a content coding all the same (any Content-Encoding but `identity`).
 * It is never inflated: a coded answer of the size limit may stand for gigabytes (a gzip bomb).
 */
export function answerIsCoded(headers: IncomingHttpHeaders): boolean {
  const coding = headers['content-encoding'];
  if (coding === undefined) return false;
  return String(coding)
    .split(',')
    .some((name) => {
      const trimmed = name.trim().toLowerCase();
      return trimmed !== '' && trimmed !== 'identity';
    });
}

/** The refusal of a coded answer; the provider's own words (its coding's name) are not repeated. */
export const codedAnswer = (provider: string): GatewayError =>
  new GatewayError('PROVIDER_ERROR', `provider ${provider} sent a compressed answer (Content-Encoding) though asked for none (Accept-Encoding: identity): check a proxy in front of it`, {
    provider,
    providerCode: 'INVALID_RESPONSE',
  });
