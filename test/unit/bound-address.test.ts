import { describe, expect, it } from 'vitest';
import { boundAddress, isWildcardHost, listeningWords } from '../../src/server/bound-address.js';

describe('the start-up log’s words for a bound listener', () => {
  it('tells a wildcard address (0.0.0.0, ::, bracketed or not) from one interface', () => {
    expect(['0.0.0.0', '::', '[::]', '127.0.0.1', '::1', '[::1]', 'localhost', '0.0.0.01', ':::'].map(isWildcardHost)).toEqual([true, true, true, false, false, false, false, false, false]);
  });

  it('writes host:port, an IPv6 host in brackets once whether given bracketed or not', () => {
    expect([boundAddress('127.0.0.1', 4000), boundAddress('::1', 4000), boundAddress('[::1]', 0), boundAddress('localhost', 80)]).toEqual(['127.0.0.1:4000', '[::1]:4000', '[::1]:0', 'localhost:80']);
    // Only a bracket at either end is taken off.
    expect(boundAddress('a[b]c', 1)).toBe('a[b]c:1');
  });

  it('says "all interfaces" for a wildcard listener only', () => {
    expect(listeningWords('0.0.0.0', 4000)).toBe('listening on all interfaces (0.0.0.0:4000)');
    expect(listeningWords('[::]', 4000)).toBe('listening on all interfaces ([::]:4000)');
    expect(listeningWords('127.0.0.1', 4000)).toBe('listening on 127.0.0.1:4000');
  });
});
