import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN, anonymousWith, canSeeProvider, hasRole, isAnonymous, requireRole, type Principal } from '../../src/gateway/principal.js';
import { ClientAuthenticator, anonymousPrincipal } from '../../src/server/auth.js';
import { AUTH_HEADERS_EXAMPLE } from '../../src/server/graphiql.js';

/** What a key none of the config's is told: what to check, not only that it is unknown. */
const UNKNOWN_KEY_SAID = "unknown client key: it is none of the keys of this gateway's config (`clients`); check it for a typo";

type Role = Parameters<typeof hasRole>[1];

const principal = (roles: Role[], providers: string[] | null = null): Principal => ({
  name: 'c',
  keyId: 'k',
  roles: new Set(roles),
  providers: providers === null ? null : new Set(providers),
});

const unauthenticated = (message: string) => expect.objectContaining({ code: 'UNAUTHENTICATED', message });

describe('roles: admin > operator > viewer', () => {
  it('a role includes the ones below it, never the ones above', () => {
    expect([hasRole(principal(['viewer']), 'viewer'), hasRole(principal(['viewer']), 'operator'), hasRole(principal(['viewer']), 'admin')]).toEqual([true, false, false]);
    expect([hasRole(principal(['operator']), 'viewer'), hasRole(principal(['operator']), 'operator'), hasRole(principal(['operator']), 'admin')]).toEqual([true, true, false]);
    expect([hasRole(principal(['admin']), 'viewer'), hasRole(principal(['admin']), 'operator'), hasRole(principal(['admin']), 'admin')]).toEqual([true, true, true]);
  });

  it('any one held role is enough, and no role grants nothing', () => {
    expect(hasRole(principal(['viewer', 'admin']), 'admin')).toBe(true);
    expect(hasRole(principal(['admin', 'viewer']), 'operator')).toBe(true);
    expect(hasRole(principal([]), 'viewer')).toBe(false);
  });

  it('requireRole refuses with FORBIDDEN, naming the action and the role', () => {
    expect(() => requireRole(principal(['viewer']), 'operator', 'createBackupSchedule')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringMatching(/^createBackupSchedule needs the operator role;/) }),
    );
    expect(() => requireRole(principal(['operator']), 'operator', 'createBackup')).not.toThrow();
  });

  it('the refusal says what the caller holds and what to send instead', () => {
    expect(() => requireRole(principal(['viewer']), 'operator', 'createBackup')).toThrow(
      expect.objectContaining({ message: 'createBackup needs the operator role; this key has viewer: send the key of a client whose roles include operator or admin (the config\'s clients)' }),
    );
    expect(() => requireRole(principal(['viewer', 'operator']), 'admin', 'deleteBackup')).toThrow(
      expect.objectContaining({ message: 'deleteBackup needs the admin role; this key has operator: send the key of a client whose roles include admin (the config\'s clients)' }),
    );
    expect(() => requireRole(anonymousWith('viewer'), 'operator', 'createBackups')).toThrow(
      expect.objectContaining({ message: 'createBackups needs the operator role; a caller without a key has viewer (anonymousRole): send the key of a client whose roles include operator or admin (the config\'s clients)' }),
    );
  });

  it('a client sees only its providers; without a list, all of them', () => {
    expect(canSeeProvider(principal(['viewer'], ['zomro-nl']), 'zomro-nl')).toBe(true);
    expect(canSeeProvider(principal(['viewer'], ['zomro-nl']), 'onapp-lab')).toBe(false);
    expect(canSeeProvider(principal(['viewer'], []), 'zomro-nl')).toBe(false);
    expect(canSeeProvider(principal(['viewer'], null), 'anything')).toBe(true);
  });

  it('the anonymous principal of demo mode is an admin of every provider', () => {
    expect(ANONYMOUS_ADMIN).toMatchObject({ name: 'anonymous', keyId: 'anonymous', providers: null });
    expect([...ANONYMOUS_ADMIN.roles].sort()).toEqual(['admin', 'operator', 'viewer']);
    expect(hasRole(ANONYMOUS_ADMIN, 'admin')).toBe(true);
  });
});

describe('client key authentication', () => {
  const clients = [
    { name: 'dashboard', key: 'dashboard-key-0123456789', roles: ['viewer' as const] },
    { name: 'ops', key: 'ops-key-0123456789abcdef', roles: ['operator' as const, 'viewer' as const], providers: ['zomro-nl'] },
  ];
  // Built in each test, not while collecting: a constructor that throws must fail a test, not hide the file.
  const authenticator = () => new ClientAuthenticator(clients, null);

  it('maps a Bearer key to its client, roles, providers and key identity (the SHA-256 of the key)', () => {
    const ops = authenticator().authenticate('Bearer ops-key-0123456789abcdef');
    expect(ops.name).toBe('ops');
    expect([...ops.roles]).toEqual(['operator', 'viewer']);
    expect(ops.providers).toEqual(new Set(['zomro-nl']));
    expect(ops.keyId).toBe(createHash('sha256').update('ops-key-0123456789abcdef').digest('hex'));
    const dashboard = authenticator().authenticate('Bearer dashboard-key-0123456789');
    expect(dashboard).toMatchObject({ name: 'dashboard', providers: null });
    expect(dashboard.keyId).not.toBe(ops.keyId);
  });

  it('reads the scheme in any case and tolerates extra spaces around the key', () => {
    expect(authenticator().authenticate('bearer ops-key-0123456789abcdef').name).toBe('ops');
    expect(authenticator().authenticate('BEARER   ops-key-0123456789abcdef  ').name).toBe('ops');
  });

  it('refuses a missing header unless anonymous access is allowed', () => {
    expect(() => authenticator().authenticate(undefined)).toThrow(unauthenticated('an Authorization: Bearer <key> header is required'));
    expect(() => authenticator().authenticate('')).toThrow(unauthenticated('an Authorization: Bearer <key> header is required'));
    const open = new ClientAuthenticator(clients, ANONYMOUS_ADMIN);
    expect(open.authenticate(undefined)).toBe(ANONYMOUS_ADMIN);
    expect(open.authenticate('')).toBe(ANONYMOUS_ADMIN);
    // Allowing anonymous access does not let a wrong key in.
    expect(() => open.authenticate('Bearer wrong')).toThrow(unauthenticated(UNKNOWN_KEY_SAID));
  });

  it('refuses another scheme, a missing key or two words', () => {
    for (const header of ['Basic b3BzOmtleQ==', 'Bearer', 'Bearer ', 'ops-key-0123456789abcdef', 'Bearer a b', 'xBearer ops-key-0123456789abcdef']) {
      expect(() => authenticator().authenticate(header), header).toThrow(unauthenticated('the Authorization header must be "Bearer <key>"'));
    }
  });

  it("says that GraphiQL's placeholder header was sent unchanged, rather than that it must be \"Bearer <key>\" (which it reads like)", () => {
    const placeholder = JSON.parse(AUTH_HEADERS_EXAMPLE).Authorization as string;
    expect(() => authenticator().authenticate(placeholder)).toThrow(
      unauthenticated('the Authorization header still holds a <placeholder>: put a client key from the config in its place ("Bearer <key>")'),
    );
  });

  it("says that the README's one-word placeholder was sent unchanged (`curl -H 'Authorization: Bearer <key>'` read \"unknown client key\")", () => {
    for (const header of ['Bearer <key>', 'Bearer <your-client-key>', 'bearer  <KEY> ']) {
      expect(() => authenticator().authenticate(header), header).toThrow(
        unauthenticated('the Authorization header still holds a <placeholder>: put a client key from the config in its place ("Bearer <key>")'),
      );
    }
    // A configured key that happens to look like one is that key.
    const bracketed = new ClientAuthenticator([{ name: 'odd', key: '<0123456789abcdef>', roles: ['viewer'] }], null);
    expect(bracketed.authenticate('Bearer <0123456789abcdef>').name).toBe('odd');
    // Where there are no keys at all, that says more than the placeholder does.
    expect(() => new ClientAuthenticator([], ANONYMOUS_ADMIN).authenticate('Bearer <key>')).toThrow(
      unauthenticated('unknown client key: this gateway has no client keys (demo mode, or a config without clients); send no Authorization header'),
    );
  });

  it('says that a key was sent inside quotes (a shell\'s -H "Authorization: Bearer \\"$KEY\\"", a value copied from JSON or YAML), not only that it is unknown', () => {
    const QUOTED = 'unknown client key: it was sent inside quotes; send the key alone, without them (Authorization: Bearer <key>)';
    for (const header of ['Bearer "ops-key-0123456789abcdef"', "Bearer 'ops-key-0123456789abcdef'", 'Bearer "not-a-key-at-all"']) {
      expect(() => authenticator().authenticate(header), header).toThrow(unauthenticated(QUOTED));
    }
    // The close reason of a refused WebSocket, too: at most 123 bytes.
    expect(Buffer.byteLength(QUOTED)).toBeLessThanOrEqual(123);
    // A configured key that holds its quotes is that key; one quote alone is an unknown key as any other.
    const quoted = new ClientAuthenticator([{ name: 'odd', key: '"0123456789abcdef"', roles: ['viewer'] }], null);
    expect(quoted.authenticate('Bearer "0123456789abcdef"').name).toBe('odd');
    expect(() => authenticator().authenticate('Bearer "ops-key-0123456789abcdef')).toThrow(unauthenticated(UNKNOWN_KEY_SAID));
  });

  it('refuses an unknown key, a prefix of a known one and a known one with more after it', () => {
    for (const key of ['nope', 'ops-key', 'ops-key-0123456789abcdefX', 'OPS-KEY-0123456789ABCDEF']) {
      expect(() => authenticator().authenticate(`Bearer ${key}`), key).toThrow(unauthenticated(UNKNOWN_KEY_SAID));
    }
  });

  it('makes a caller without a key an admin only where no clients are configured: a viewer beside clients, unless anonymousRole says', () => {
    const some = [{ name: 'ops', key: 'ops-key-0123456789abcdef', roles: ['operator' as const] }];
    expect(anonymousPrincipal({ allowAnonymous: false, clients: some })).toBeNull();
    expect(anonymousPrincipal({ allowAnonymous: false })).toBeNull();
    expect(anonymousPrincipal({ allowAnonymous: true })).toBe(ANONYMOUS_ADMIN);
    expect(anonymousPrincipal({ allowAnonymous: true, clients: [] })).toBe(ANONYMOUS_ADMIN);
    const beside = anonymousPrincipal({ allowAnonymous: true, clients: some });
    expect(beside).toMatchObject({ name: 'anonymous', keyId: 'anonymous', providers: null });
    expect([...beside!.roles]).toEqual(['viewer']);
    expect(hasRole(beside!, 'operator')).toBe(false);
    expect(isAnonymous(beside!)).toBe(true);
    const operator = anonymousPrincipal({ allowAnonymous: true, clients: some, anonymousRole: 'operator' })!;
    expect(hasRole(operator, 'operator')).toBe(true);
    expect(hasRole(operator, 'admin')).toBe(false);
    expect(anonymousPrincipal({ allowAnonymous: true, clients: some, anonymousRole: 'admin' })).toBe(ANONYMOUS_ADMIN);
    expect([...anonymousPrincipal({ allowAnonymous: true, anonymousRole: 'viewer' })!.roles]).toEqual(['viewer']);
    expect(isAnonymous(ANONYMOUS_ADMIN)).toBe(true);
    expect(isAnonymous(new ClientAuthenticator(some, null).authenticate('Bearer ops-key-0123456789abcdef'))).toBe(false);
  });

  it('with no clients configured, every key is unknown, and the message says there are none (to send none, where anonymous callers are let in)', () => {
    expect(() => new ClientAuthenticator(undefined, null).authenticate('Bearer anything')).toThrow(unauthenticated('unknown client key: this gateway has no client keys'));
    expect(() => new ClientAuthenticator([], ANONYMOUS_ADMIN).authenticate('Bearer anything')).toThrow(
      unauthenticated('unknown client key: this gateway has no client keys (demo mode, or a config without clients); send no Authorization header'),
    );
  });
});
