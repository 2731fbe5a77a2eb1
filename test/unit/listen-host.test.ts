import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { envHost, listenHostProblem } from '../../src/config/listen-host.js';

const ANY = 'must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for loopback, :: for IPv6) or a host name';
const problem = (host: string): string | null => listenHostProblem(host, 'listen.port');

describe('listenHostProblem', () => {
  it('takes addresses and host names, one-letter labels and a trailing dot included', () => {
    for (const host of ['0.0.0.0', '::', 'fe80::1', 'localhost', 'a', 'x.y.z', 'gw-1.example.com.', `${'a'.repeat(63)}.b`]) expect(problem(host), host).toBeNull();
  });

  it('refuses names longer than 253 characters, labels over 63, and characters no name has', () => {
    const long = Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.');
    expect(long.length).toBe(255);
    for (const host of [long, `${'a'.repeat(64)}.b`, 'bad!name', 'bad/name', '-a', 'a-', 'a..b', 'a b']) expect(problem(host), host).toBe(ANY);
  });

  it('takes host names with underscores, as getaddrinfo does: Docker Compose v1 names its containers so', () => {
    for (const host of ['my_host', 'app_gateway_1', '_gateway', 'gateway_', 'my_host.internal']) expect(problem(host), host).toBeNull();
    expect(envHost({ HOST: 'my_host' })).toBe('my_host');
    // With a port, still the port's refusal.
    expect(problem('my_host:4000')).toBe('must be an address or host name without a port (my_host; the port goes in listen.port)');
  });

  it('names the port\'s key for a name or an IPv4 address with a port, empty or not', () => {
    expect(problem('gateway.example.com:80')).toBe('must be an address or host name without a port (gateway.example.com; the port goes in listen.port)');
    expect(problem('10.0.0.1:')).toBe('must be an address or host name without a port (10.0.0.1; the port goes in listen.port)');
    // Only a whole host before a port of digits alone.
    for (const host of ['bad!name:80', 'a:b:80', 'host:80x']) expect(problem(host), host).toBe(ANY);
    // A token with a port after it has a host name's form to the lookup, not a word's: named, not quoted.
    expect(problem('sk_live_Zq8sEcReTpAsTe9:80')).toBe('must be an address or host name without a port (the port goes in listen.port; what is written is not quoted: it is not of a host name\'s form and may be a secret)');
  });

  it('asks for an IPv6 address without its brackets, port or not, and only for a whole bracketed address', () => {
    for (const host of ['[::1]', '[::1]:4000', '[::1]:']) expect(problem(host), host).toBe('write an IPv6 address without brackets or port (::1; the port goes in listen.port)');
    for (const host of ['a[::1]', '[::1]:80x', '[::1]x', '[1.2.3.4]']) expect(problem(host), host).toBe(ANY);
  });

  it('quotes at most 60 characters of a host with a scheme, only where each part is of a word\'s form, and suggests the host in it', () => {
    const host = `http://gateway.example.com/api/v1/${'path/'.repeat(20)}`;
    expect(problem(host)).toBe(`must be an IP address or a host name, without a scheme: gateway.example.com, not ${host.slice(0, 60)}`);
    expect(problem(`http://gateway.example.com/${'p'.repeat(80)}`)).toBe('must be an IP address or a host name, without a scheme: gateway.example.com');
    expect(problem('http://0.0.0.0/Zq8sEcReTpAsTe9')).toBe('must be an IP address or a host name, without a scheme: 0.0.0.0');
    expect(problem('http://Zq8sEcReTpAsTe9/')).toBe('must be an IP address or a host name, without a scheme: the host alone');
    expect(problem('http://admin:Zq8sEcReTpAsTe9@0.0.0.0')).toBe('must be an IP address or a host name, without a scheme or user:password@ (not quoted: it may hold a password)');
    expect(problem('http://:80')).toBe('must be an IP address or a host name, without a scheme: 0.0.0.0, not http://:80');
  });
});

describe('envHost', () => {
  const refusal = (value: string): string[] => {
    try {
      envHost({ HOST: value });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('reads no HOST, or an empty one, as none, and a valid one as it is', () => {
    expect(envHost({})).toBeUndefined();
    expect(envHost({ HOST: '' })).toBeUndefined();
    expect(envHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('refuses a bad HOST naming it and PORT, quoting it only where it has a host name\'s form, and a stray space as such', () => {
    expect(refusal('0.0.0.0:4000')).toEqual(['HOST=0.0.0.0:4000: must be an address or host name without a port (0.0.0.0; the port goes in PORT)']);
    const long = `bad!${'x'.repeat(80)}`;
    expect(refusal(long)).toEqual([`HOST: ${ANY}`]);
    expect(refusal('0.0.0.0 ')).toEqual(['HOST=0.0.0.0 has a space at an end: remove it']);
    // Trimmed and still wrong: the problem itself, not the space.
    expect(refusal(' bad!name')).toEqual([`HOST: ${ANY}`]);
  });
});
