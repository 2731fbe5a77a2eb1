import { describe, expect, it } from 'vitest';
import { ALLOWED_HOST, ANONYMOUS_HOST_MESSAGE, anonymousHostAllowed } from '../../src/server/anonymous-host.js';

const allowed = (host: string | undefined, allowedHosts: readonly string[] = []): boolean => anonymousHostAllowed(host === undefined ? {} : { host }, allowedHosts);

/**
 * Where a caller without a key is answered (DNS rebinding): the name its request was sent to, by
 * plain calls. request-authentication and test/security/anonymous-dns-rebinding ask it over HTTP
 * at a few names; these are the edges of each rule.
 */
describe('anonymousHostAllowed', () => {
  it('answers at a loopback name and at any IP address, IPv4 or bracketed IPv6, with no name listed', () => {
    for (const host of ['localhost', 'localhost:4000', '10.1.2.3', '10.1.2.3:4000', '[2001:db8::1]', '[2001:db8::1]:4000', '[fe80::1]']) {
      expect(allowed(host), host).toBe(true);
    }
  });

  it('refuses any other name when none is listed, and a request with no Host or one that is no host', () => {
    for (const host of ['backups.example.net', 'attacker.example:4000', 'localhost.attacker.example', '10.1.2.3.attacker.example', '', 'a b', 'http://x']) {
      expect(allowed(host), host).toBe(false);
    }
    expect(allowed(undefined)).toBe(false);
  });

  it('answers at a listed name, whatever the case of either or a root dot on either', () => {
    expect(allowed('backups.example.net', ['backups.example.net'])).toBe(true);
    expect(allowed('backups.example.net.:4000', ['backups.example.net'])).toBe(true);
    expect(allowed('Backups.Example.NET', ['backups.example.net'])).toBe(true);
    expect(allowed('backups.example.net', ['Backups.Example.NET'])).toBe(true);
    expect(allowed('backups.example.net', ['backups.example.net.'])).toBe(true);
    expect(allowed('backups.example.net.', ['backups.example.net.'])).toBe(true);
  });

  it('answers at any listed name, not only the first', () => {
    expect(allowed('second.example', ['first.example', 'second.example'])).toBe(true);
    expect(allowed('third.example', ['first.example', 'second.example'])).toBe(false);
  });

  it('refuses a name that only ends with a listed name\'s text, or sits under a name listed without its dot', () => {
    for (const host of ['evilbackups.example.net', 'x.backups.example.net', 'backups.example.ne', 'backups.example.net.evil']) {
      expect(allowed(host, ['backups.example.net']), host).toBe(false);
    }
  });

  it('answers a listed .name at that name and every name under it, never at a name that only ends with its text', () => {
    for (const host of ['corp.example', 'gw.corp.example', 'a.b.corp.example:4000', 'GW.Corp.Example.']) {
      expect(allowed(host, ['.corp.example']), host).toBe(true);
    }
    for (const host of ['evilcorp.example', 'corp.example.evil', 'example', 'orp.example']) {
      expect(allowed(host, ['.corp.example']), host).toBe(false);
    }
    expect(allowed('gw.corp.example', ['.Corp.Example.'])).toBe(true);
  });
});

describe('ALLOWED_HOST: what listen.allowedHosts and admin.allowedHosts take', () => {
  it('takes a host name of one label or many, a label of one character or 63, and .name', () => {
    const label63 = `a${'b'.repeat(61)}c`;
    for (const entry of ['gw', 'x', 'a.b', 'x.example', 'backups.example.net', 'Backups.Example.NET', 'a-b.c-d9', '9x.example', '.corp.example', '.x', `${label63}.example`]) {
      expect(ALLOWED_HOST.test(entry), entry).toBe(true);
    }
  });

  it('refuses what is no host name: a port, a scheme, a wildcard, an empty label, a hyphen at a label\'s edge, a label of 64', () => {
    const label64 = `a${'b'.repeat(62)}c`;
    for (const entry of ['', '.', '..x', 'a..b', 'x.example:4000', 'https://x.example', '*', '*.example', '-a.example', 'a-.example', 'a.-b', 'a_b.example', 'a b', `${label64}.example`, 'x.example/']) {
      expect(ALLOWED_HOST.test(entry), entry).toBe(false);
    }
  });
});

describe('ANONYMOUS_HOST_MESSAGE', () => {
  it('tells the caller what to do, within a WebSocket close frame\'s 123 bytes', () => {
    expect(ANONYMOUS_HOST_MESSAGE).toContain('listen.allowedHosts');
    expect(ANONYMOUS_HOST_MESSAGE).toContain('send a key');
    expect(Buffer.byteLength(ANONYMOUS_HOST_MESSAGE)).toBeLessThanOrEqual(123);
  });
});
