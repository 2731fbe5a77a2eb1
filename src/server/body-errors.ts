import { NOT_UTF8_BODY } from './utf8-body.js';

/** What the gateway answers for an error express or its body parser passed on. */
export interface BodyErrorAnswer {
  status: number;
  message: string;
  code: 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR';
}

/** A charset or content coding name as a header may carry one: echoed only in this form. */
const PLAIN_NAME = /^[a-z0-9][a-z0-9._:+-]{0,39}$/i;

const named = (value: unknown): string => (typeof value === 'string' && PLAIN_NAME.test(value) ? ` "${value.toLowerCase()}"` : '');

/** Whether the body the parser refused is JSON all the same (a string, an array: its strict mode takes objects and arrays only at the top). Only the error path reads it again. */
function parsesAsJson(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * The answer for an error from express's body parser (`status`, and `type` naming what
 * went wrong) or from anything else. Each says what the client must change: a body in
 * another charset was "malformed request body", though every byte of it may have been
 * good JSON. A charset or coding is echoed only when it is a plain name (a header is the
 * client's text); the rest of the parser's message is not, nor anything of a 5xx.
 */
export function bodyErrorAnswer(error: unknown): BodyErrorAnswer {
  const { status: rawStatus, type, charset, encoding, limit, body } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const status = typeof rawStatus === 'number' && rawStatus >= 400 && rawStatus < 600 ? rawStatus : 500;
  if (status >= 500) return { status, message: 'internal error', code: 'INTERNAL_SERVER_ERROR' };
  if (status === 413) {
    // The limit is the config's, not the client's text: naming it says how far to cut, and which key raises it.
    const over = typeof limit === 'number' && Number.isSafeInteger(limit) ? ` (over ${limit} bytes, limits.bodyLimitBytes)` : '';
    return { status, message: `request body too large${over}`, code: 'BAD_USER_INPUT' };
  }
  // "malformed request body" left a first `curl -d 'query=...'` or a shell-mangled quote unexplained;
  // "not a JSON object" alone, to someone sure they had sent one, hid that its JSON did not parse.
  if (type === 'entity.parse.failed') {
    const what = parsesAsJson(body) ? 'JSON but not an object' : 'not valid JSON';
    return { status, message: `the request body is ${what}: send {"query": "..."} (and "variables", "operationName" if any) as one JSON object`, code: 'BAD_USER_INPUT' };
  }
  if (type === NOT_UTF8_BODY) {
    return { status, message: 'the request body is not UTF-8 (a byte sequence in it is no UTF-8 character: a body cut mid-character, or text in another charset): send the JSON body as UTF-8', code: 'BAD_USER_INPUT' };
  }
  if (type === 'charset.unsupported') {
    return { status, message: `unsupported charset${named(charset)} in content-type: send the JSON body as UTF-8 (charset=utf-8, or none)`, code: 'BAD_USER_INPUT' };
  }
  if (type === 'encoding.unsupported') {
    return { status, message: `unsupported content-encoding${named(encoding)}: send the body as is, or gzip, deflate or br`, code: 'BAD_USER_INPUT' };
  }
  // Express could not decode a path parameter (a GraphiQL asset's `/graphql/graphiql/<v>/%E0%A4%A`):
  // no body was read, and "malformed request body" sent the client looking in the wrong place.
  if (error instanceof URIError && status === 400) return { status, message: 'malformed %-escape in the request path: escape each byte as % and two hex digits, in UTF-8', code: 'BAD_USER_INPUT' };
  return { status, message: 'malformed request body', code: 'BAD_USER_INPUT' };
}
