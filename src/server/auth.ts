import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientConfig, GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../domain/errors.js';
import { anonymousWith, type Principal } from '../gateway/principal.js';

interface KnownClient {
  digest: Buffer;
  principal: Principal;
}

/** Who a caller without a key is under this config (see `anonymousRole`); null when such callers are refused. */
export function anonymousPrincipal(config: Pick<GatewayConfig, 'allowAnonymous' | 'anonymousRole' | 'clients'>): Principal | null {
  if (!config.allowAnonymous) return null;
  return anonymousWith(config.anonymousRole ?? ((config.clients?.length ?? 0) > 0 ? 'viewer' : 'admin'));
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** A placeholder copied as it stands: GraphiQL's "Bearer <your client key>", the README's "Bearer <key>". */
const PLACEHOLDER_HEADER = /^Bearer\s+<[^>]*>\s*$/i;

const placeholderSent = (): GatewayError =>
  new GatewayError('UNAUTHENTICATED', 'the Authorization header still holds a <placeholder>: put a client key from the config in its place ("Bearer <key>")');

/** A key that is none of the config's: what to check (at most 123 bytes, the WebSocket close reason it also is). */
export const UNKNOWN_KEY = "unknown client key: it is none of the keys of this gateway's config (`clients`); check it for a typo";

/**
 * A key sent inside quotes (`-H "Authorization: Bearer \"$KEY\""`, a value copied from JSON or
 * YAML with them): told after the keys are compared, so a configured key holding quotes still works.
 */
const QUOTED_KEY = /^(["']).+\1$/;
const KEY_IN_QUOTES = 'unknown client key: it was sent inside quotes; send the key alone, without them (Authorization: Bearer <key>)';

/**
 * Turns `Authorization: Bearer <key>` into a principal. Keys are compared as
 * SHA-256 digests with timingSafeEqual, every configured key every time, so
 * neither the length nor the position of a match shows in the timing.
 */
export class ClientAuthenticator {
  private readonly clients: KnownClient[];

  constructor(
    clients: readonly ClientConfig[] | undefined,
    /** Who a caller without a key is; null: such a caller is refused. */
    private readonly anonymous: Principal | null,
  ) {
    this.clients = (clients ?? []).map((client) => ({
      digest: digest(client.key),
      principal: { name: client.name, keyId: digest(client.key).toString('hex'), roles: new Set(client.roles), providers: client.providers ? new Set(client.providers) : null },
    }));
  }

  authenticate(authorization: string | undefined): Principal {
    if (authorization === undefined || authorization === '') {
      if (this.anonymous) return this.anonymous;
      throw new GatewayError('UNAUTHENTICATED', 'an Authorization: Bearer <key> header is required');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // GraphiQL opens with "Bearer <your client key>" to fill in: said as it is, not "must be Bearer <key>".
    if (!match && PLACEHOLDER_HEADER.test(authorization)) throw placeholderSent();
    if (!match) throw new GatewayError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <key>"');
    const presented = digest(match[1] as string);
    let found: Principal | null = null;
    for (const client of this.clients) if (timingSafeEqual(client.digest, presented)) found = client.principal;
    // The README's curl line has "Bearer <key>", one word, so it reads as a key: told after the
    // keys are compared, so a configured key of that shape still works.
    if (!found && this.clients.length > 0 && PLACEHOLDER_HEADER.test(authorization)) throw placeholderSent();
    if (!found) throw new GatewayError('UNAUTHENTICATED', this.clients.length > 0 && QUOTED_KEY.test(match[1] as string) ? KEY_IN_QUOTES : this.unknownKeyMessage());
    return found;
  }

  /**
   * A key left over from a config with clients (the simulators', say) sent to demo mode, which
   * has none, read "unknown client key", as though another key would do: there is no key to send.
   */
  private unknownKeyMessage(): string {
    // "unknown client key" alone left a caller with a mistyped key, or one of another config's, no next step.
    if (this.clients.length > 0) return UNKNOWN_KEY;
    if (this.anonymous) return 'unknown client key: this gateway has no client keys (demo mode, or a config without clients); send no Authorization header';
    return 'unknown client key: this gateway has no client keys';
  }
}
