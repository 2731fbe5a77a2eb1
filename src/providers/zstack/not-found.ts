import { GatewayError, providerError } from '../../domain/errors.js';
import { chainHasCode } from './error-chain.js';

/**
 * ZStack's code for a resource it does not have: SysErrors.RESOURCE_NOT_FOUND, `RESOURCE_NOT_FOUND(1003)`
 * written "SYS.%s" (zstackio/zstack header/.../errorcode/SysErrors.java), as in `err(SysErrors.RESOURCE_NOT_FOUND,
 * "cannot find ...")` across its services.
 */
export const RESOURCE_NOT_FOUND = 'SYS.1003';

/**
 * Whether a body is ZStack's `{"error": {"code": "SYS.1003", ...}}`: the API ran and found no such
 * resource. On top or as a `cause` under a wrapper (error-chain.ts): ZStack's flows wrap the error
 * they failed with (SYS.1006 over SYS.1003), and read from the top alone a revert of a deleted
 * group was PROVIDER_ERROR, a delete of one FAILED. Every reader checks what it acted on is gone
 * before it says so, so a missing image store under a wrapper is not read as a missing backup.
 */
export const isResourceNotFound = (body: unknown): boolean => chainHasCode(body, RESOURCE_NOT_FOUND);

/**
 * A 404 that is not an API's answer about a resource: ZStack's REST server answers 404 itself, in
 * plain text, for a path no API of its version maps (RestServer.handle: "no api mapping to <path>")
 * and for an expired job (read by the job poll). An API newer than the ZStack answering (the
 * docs' "Starting Version" column: SyncVmBackup 3.5.0, the rest 3.0.0) therefore reads 404 for
 * every object it names; told as NOT_FOUND "not found at the provider", it said the VM, backup or
 * image store did not exist, and a client dropped one that did. The path is the gateway's own
 * (uuids it checked), never the provider's words.
 */
export function noApiAt(provider: string, method: string, path: string): GatewayError {
  return providerError(provider, `provider ${provider} has no API at ${method} ${path} (HTTP 404): the ZStack answering is older than that API, or the account's url is wrong`, 'HTTP_404');
}

/**
 * ZStack's REST server's words for a job whose result has expired: "404 with "the job has been
 * expired" once the job expires" (providers.md, from RestServer's job query), written as plain text,
 * not as its JSON error. A job uuid ZStack never had is answered the same. Compared whole (less
 * surrounding blanks, in any case): any other 404 text is not read as ZStack's.
 */
const EXPIRED_JOB_WORDS = 'the job has been expired';

/**
 * Whether a 404 is ZStack's own expired-job answer (UpstreamRequest.ownNotFound): after the url
 * answered as no API does (a login a web server answered 404), it is ZStack answering, and brings
 * health back as any answer does. Read as the other server's, a restore's poll, its only call, kept
 * health DEGRADED (OTHER) while ZStack answered it. "no api mapping to <path>" (noApiAt) and a
 * web server's page are still not.
 */
export const isExpiredJobAnswer = (_body: unknown, text: string): boolean => text.length < 64 && text.trim().toLowerCase() === EXPIRED_JOB_WORDS;

/**
 * A job poll answered 404 in neither ZStack's words for an expired job nor its JSON error: a proxy's
 * or web server's page, which says nothing of the job. Read as expired, a restore was FAILED "the
 * provider no longer knows this job" and a delete SUCCEEDED by its backup's absence while ZStack was
 * never asked. The poll fails; the next asks again.
 */
export function jobPollNotFound(provider: string): GatewayError {
  return providerError(provider, `provider ${provider} answered the job's poll 404 without ZStack's words for an expired job (a proxy's or web server's page): the job's state is unknown; check the account's url in the config and any proxy in front of ZStack, then ask again`, 'HTTP_404');
}

/**
 * ZStack's error codes: its ErrorCode enums written `<PREFIX>.<number>` (SysErrors' "SYS.%s",
 * `SYS.1003`; IdentityErrors' `ID.1001`; the API docs' own example `SYS.1000`).
 */
const ZSTACK_ERROR_CODE = /^[A-Z][A-Z0-9_]{0,31}\.\d{1,6}$/;

/**
 * Whether a 404 carries ZStack's own JSON error, `{"error": {"code": "SYS.1003", "description": ...}}`
 * (UpstreamRequest.ownNotFound): an API ran at a url that is right and answered (a write refused
 * at once for a missing resource, SYS.1003 on top or as a cause). After the url answered as no API
 * does, such a 404 kept health DEGRADED (OTHER) while ZStack answered. A code of ZStack's form and
 * its words are needed: another server's JSON 404 (Spring's `{"status":404,"error":"Not Found"}`,
 * an API's `{"error": {"code": 404, "message": "Not Found"}}`) is not ZStack answering.
 */
export function isZstackOwnError(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error;
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return false;
  const { code, description } = error as { code?: unknown; description?: unknown };
  return typeof code === 'string' && ZSTACK_ERROR_CODE.test(code) && typeof description === 'string';
}

/**
 * A write answered 404 at once with SYS.1003 in its error's chain: NOT_FOUND as it stands, with the
 * body kept so the adapter can judge it as it judges a job failing so (the thing the write acted on
 * seen gone, or another resource missing). Read as NOT_FOUND on sight, a delete of a group already
 * gone was refused where its job's SYS.1003 reads SUCCEEDED, and a revert naming an image store no
 * longer there told the client its backup was gone.
 */
export class MissingResourceAnswer extends GatewayError {
  /**
   * Private, so no own property: a log line's `err` (pino copies an error's enumerable fields)
   * wrote the provider's whole answer, past the clip every provider message gets.
   */
  readonly #body: unknown;

  constructor(error: GatewayError, body: unknown) {
    super(error.code, error.message, error.details);
    this.#body = body;
  }

  get body(): unknown {
    return this.#body;
  }
}
