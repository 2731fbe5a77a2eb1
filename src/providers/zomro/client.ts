import { GatewayError, clipProviderCode, clipProviderMessage, conflict, providerError } from '../../domain/errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import type { ZomroConfig } from './config.js';
import { declareZomroSecrets } from './secrets.js';
import { wireError, type ZomroDoc } from './wire.js';

/** BILLmanager error types that mean "no such object" or "state forbids it". */
const NOT_FOUND_TYPES = new Set(['missed', 'notfound', 'not_found']);
const CONFLICT_TYPES = new Set(['exists', 'locked', 'protected', 'busy']);

export interface ZomroCall {
  func: string;
  params?: Record<string, string>;
  /** Reads are retried on transient failures; anything with `sok=ok` is not. */
  idempotent: boolean;
}

/**
 * Zomro's one-URL form API: every call is a form POST of `func=...&out=json`
 * plus credentials. Credentials go only into the form body, which is never
 * logged nor copied into an error; BILLmanager quotes the body back (in
 * `tparams`, in error messages), so they are declared to the scrubber too.
 */
export class ZomroClient {
  private readonly credentials: Record<string, string>;

  constructor(
    private readonly upstream: UpstreamClient,
    auth: ZomroConfig['auth'],
  ) {
    declareZomroSecrets(upstream.secrets, auth);
    this.credentials = auth.token ? { auth: auth.token } : { authinfo: `${auth.username ?? ''}:${auth.password ?? ''}` };
  }

  async call({ func, params = {}, idempotent }: ZomroCall, scope: UpstreamScope): Promise<ZomroDoc> {
    const form = new URLSearchParams({ ...params, func, out: 'json', ...this.credentials });
    const response = await this.upstream.request({
      method: 'POST',
      path: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      idempotent,
      operation: func,
      scope,
    });
    const provider = this.upstream.providerId;
    const doc = (response.body as { doc?: unknown } | null)?.doc;
    if (response.status >= 400 || doc === null || typeof doc !== 'object') {
      throw providerError(provider, `provider ${provider} answered HTTP ${response.status} without a BILLmanager document`, `HTTP_${response.status}`);
    }
    const error = wireError(doc as ZomroDoc);
    if (error) throw mapWireError(provider, error);
    return doc as ZomroDoc;
  }
}

function mapWireError(provider: string, error: { type: string; object: string | null; message: string | null }): GatewayError {
  const type = clipProviderCode(error.type, 'error');
  const message = clipProviderMessage(error.message, `BILLmanager error "${type}"`);
  if (NOT_FOUND_TYPES.has(type)) return new GatewayError('NOT_FOUND', message, { provider, providerCode: type });
  if (CONFLICT_TYPES.has(type)) return conflict(message, provider);
  // "auth"/"access" land here too: the gateway's credentials are wrong, not the caller's.
  return providerError(provider, message, type);
}
