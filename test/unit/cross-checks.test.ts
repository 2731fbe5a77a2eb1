import { describe, expect, it } from 'vitest';
import { crossCheckConfig } from '../../src/config/cross-checks.js';

const zomro = { id: 'zomro-nl', kind: 'zomro' };
const onapp = { id: 'flex', kind: 'onapp' };
const client = (name: string, key: string, providers?: unknown[]) => ({ name, key, roles: ['viewer'], ...(providers ? { providers } : {}) });

/** Each issue as `path: message`, the path joined with dots. */
const linesOf = (input: unknown): string[] => crossCheckConfig(input).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);

describe('crossCheckConfig: checks that span several parts of the config', () => {
  it('finds nothing in a config whose ids, keys and names agree', () => {
    expect(linesOf({ providers: [zomro, onapp], clients: [client('ops', 'k'.repeat(20), ['zomro-nl', 'flex']), client('dash', 'd'.repeat(20))], protection: { perProvider: { flex: 48 } } })).toEqual([]);
  });

  it('reads no config, or one that is no record, as nothing to say', () => {
    for (const input of [undefined, null, 'providers', 7, [{ providers: [zomro, zomro] }]]) expect(linesOf(input)).toEqual([]);
  });

  it('names a provider id given twice at the second, and skips providers that are no record or have no text id', () => {
    expect(linesOf({ allowAnonymous: true, providers: [zomro, null, ['zomro-nl'], { id: 7 }, { kind: 'onapp' }, zomro, zomro] })).toEqual([
      'providers.5.id: duplicate provider id "zomro-nl"',
      'providers.6.id: duplicate provider id "zomro-nl"',
    ]);
  });

  it('names a provider credential holding a line break by its path, not a text value or one without a break', () => {
    expect(linesOf({ allowAnonymous: true, providers: [{ ...zomro, auth: { token: 'abc\n', user: 'plain', pin: 1234, keys: ['a\n'] } }, { ...onapp, auth: ['a\n'] }, { ...onapp, id: 'b', auth: { password: 'a\rb' } }] })).toEqual([
      "providers.0.auth.token: holds a line break (a secret file's last newline?): the provider would refuse it; remove it",
      "providers.2.auth.password: holds a line break (a secret file's last newline?): the provider would refuse it; remove it",
    ]);
  });

  it('names a per-provider protection entry for an id no provider has, only while a providers list is given', () => {
    expect(linesOf({ allowAnonymous: true, providers: [zomro], protection: { perProvider: { 'zomro-nl': 24, labb: 168 } } })).toEqual(['protection.perProvider.labb: no provider has id "labb"; the providers\' ids: "zomro-nl"']);
    expect(linesOf({ allowAnonymous: true, provider: [zomro], protection: { perProvider: { labb: 168 } } })).toEqual([]);
    expect(linesOf({ allowAnonymous: true, providers: [zomro], protection: { perProvider: ['labb'] } })).toEqual([]);
  });

  it("lists the providers' ids beside an id none has (the README's `perProvider: { lab: 168 }` in the simulators' file), ten at most, quoting none the schema refuses", () => {
    const sims = ['zomro-sim', 'onapp-sim', 'zstack-sim', 'danube-sim'].map((id) => ({ id, kind: 'zomro' }));
    expect(linesOf({ providers: sims, clients: [client('ops', 'a'.repeat(20), ['dc1'])], protection: { perProvider: { lab: 168 } } })).toEqual([
      'protection.perProvider.lab: no provider has id "lab"; the providers\' ids: "zomro-sim", "onapp-sim", "zstack-sim", "danube-sim"',
      'clients.0.providers.0: no provider has id "dc1"; the providers\' ids: "zomro-sim", "onapp-sim", "zstack-sim", "danube-sim"',
    ]);
    const many = Array.from({ length: 12 }, (_, index) => ({ id: `a${index}`, kind: 'zomro' }));
    expect(linesOf({ allowAnonymous: true, providers: [{ id: 'Secret Token!', kind: 'zomro' }, ...many], protection: { perProvider: { lab: 1 } } })).toEqual([
      `protection.perProvider.lab: no provider has id "lab"; the providers' ids: ${many.slice(0, 10).map(({ id }) => `"${id}"`).join(', ')}, and 2 more`,
    ]);
    expect(linesOf({ allowAnonymous: true, providers: [{ id: 'Secret Token!', kind: 'zomro' }], protection: { perProvider: { lab: 1 } } })).toEqual(['protection.perProvider.lab: no provider has id "lab"']);
  });

  it('names a client key with whitespace at its ends, and a key given to two clients, at the later client', () => {
    expect(linesOf({ providers: [zomro], clients: [client('a', 'k'.repeat(20)), 'no record', client('b', ` ${'x'.repeat(20)}`), client('c', 'k'.repeat(20)), { name: 'd', key: 42 }] })).toEqual([
      "clients.2.key: begins or ends with whitespace or a line break (a secret file's last newline?): no caller can send that key; remove it",
      'clients.3.key: the same key is given to two clients',
    ]);
  });

  it('names a client name given twice at the later client, whatever their keys', () => {
    expect(linesOf({ providers: [zomro], clients: [client('ops', 'a'.repeat(20)), client('ops', 'b'.repeat(20)), { key: 'c'.repeat(20), name: 5 }, { key: 'e'.repeat(20), name: 5 }] })).toEqual([
      'clients.1.name: duplicate client name "ops": each client needs its own',
    ]);
  });

  it('names a client\'s provider id that no provider has, by its place in the client\'s list, only while a providers list is given', () => {
    expect(linesOf({ providers: [zomro], clients: [client('ops', 'a'.repeat(20), ['zomro-nl', 7, 'nope'])] })).toEqual(['clients.0.providers.2: no provider has id "nope"; the providers\' ids: "zomro-nl"']);
    expect(linesOf({ providers: 'zomro-nl', clients: [client('ops', 'a'.repeat(20), ['nope'])] })).toEqual([]);
  });

  it('asks for a client unless anonymous callers are allowed, and says nothing more of a mistyped allowAnonymous', () => {
    expect(linesOf({ providers: [zomro] })).toEqual(['clients: required: name at least one client, or set allowAnonymous: true']);
    expect(linesOf({ providers: [zomro], clients: 'ops' })).toEqual(['clients: required: name at least one client, or set allowAnonymous: true']);
    expect(linesOf({ providers: [zomro], allowAnonymous: false })).toEqual(['clients: required: name at least one client, or set allowAnonymous: true']);
    expect(linesOf({ providers: [zomro], allowAnonymous: true })).toEqual([]);
    expect(linesOf({ providers: [zomro], allowAnonymous: 'true' })).toEqual([]);
    expect(linesOf({ providers: [zomro], clients: [client('ops', 'a'.repeat(20))] })).toEqual([]);
  });

  it('says an anonymous role has no effect without allowAnonymous: true, unless allowAnonymous is mistyped', () => {
    expect(linesOf({ providers: [zomro], clients: [client('ops', 'a'.repeat(20))], anonymousRole: 'viewer' })).toEqual(['anonymousRole: has no effect without allowAnonymous: true']);
    expect(linesOf({ providers: [zomro], clients: [client('ops', 'a'.repeat(20))], allowAnonymous: false, anonymousRole: 'viewer' })).toEqual(['anonymousRole: has no effect without allowAnonymous: true']);
    expect(linesOf({ providers: [zomro], allowAnonymous: true, anonymousRole: 'viewer' })).toEqual([]);
    expect(linesOf({ providers: [zomro], allowAnonymous: 'yes', anonymousRole: 'viewer' })).toEqual([]);
  });
});
