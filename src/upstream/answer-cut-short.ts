/**
 * The connection to the provider ended after its answer's status and headers came and before its
 * body was whole (a Content-Length never reached, a chunked body never ended). The provider was
 * reached and answered: the transport's "unreachable: a refused connection or a host name that
 * does not resolve" sent the operator to DNS and firewalls. undici's own error is its `cause`, so
 * its failure class (`reset`, read by classifyTransportError through `cause`) and with it the
 * retries, the breaker and the health stay as they were.
 */
export class AnswerCutShortError extends Error {
  constructor(cause: Error) {
    super('the provider closed the connection before its answer was whole', { cause });
    this.name = 'AnswerCutShortError';
  }
}

/** The words after "provider X ". */
export const ANSWER_CUT_SHORT_NEXT_STEP = 'closed the connection before its answer was whole (its headers came, not all of its body): a proxy or the provider cut it';
