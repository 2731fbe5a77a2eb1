import { describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../src/server/client-address.js';
import { anonymousTurnOf, ipv4BlockOf } from '../../src/server/turn-group.js';

describe('ipv4BlockOf: the /24 an IPv4 client key belongs to', () => {
  it('keeps the first three octets of an IPv4 key, however the address was spelt before clientKeyOf', () => {
    for (const spelt of ['198.51.100.7', '198.51.100.255', '::ffff:198.51.100.7', '::FFFF:C633:6407', '64:ff9b::198.51.100.7', '64:ff9b::c633:6407']) {
      expect(ipv4BlockOf(clientKeyOf(spelt)), spelt).toBe('198.51.100.0/24');
    }
    expect(ipv4BlockOf(clientKeyOf('198.51.101.7'))).toBe('198.51.101.0/24');
    expect(ipv4BlockOf('0.0.0.0')).toBe('0.0.0.0/24');
    // 255 is an octet like any other in each of the three kept.
    expect(ipv4BlockOf('255.255.255.255')).toBe('255.255.255.0/24');
  });

  it('has none for IPv6, the empty key, or a form that is no IPv4 address', () => {
    for (const key of [clientKeyOf('2001:db8::1'), clientKeyOf('::1'), '', 'unknown', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.300.4', '1.2.3.4x', 'x1.2.3.4', '1.2.3.4/24']) {
      expect(ipv4BlockOf(key), key).toBeNull();
    }
  });
});

describe('anonymousTurnOf: whose turn an anonymous caller takes, within which group', () => {
  it('puts an IPv4 address within its /24, so addresses of one /24 share its one turn, each a member of its own', () => {
    expect(anonymousTurnOf('198.51.100.7')).toEqual({ group: '198.51.100.0/24', member: '198.51.100.7' });
    expect(anonymousTurnOf('198.51.100.8')).toEqual({ group: '198.51.100.0/24', member: '198.51.100.8' });
    expect(anonymousTurnOf('198.51.101.7').group).toBe('198.51.101.0/24');
    // IPv4-mapped and NAT64 addresses are the IPv4 client's: the same /24 and member.
    expect(anonymousTurnOf(clientKeyOf('::ffff:198.51.100.7'))).toEqual(anonymousTurnOf('198.51.100.7'));
    expect(anonymousTurnOf(clientKeyOf('64:ff9b::198.51.100.7'))).toEqual(anonymousTurnOf('198.51.100.7'));
  });

  it('puts an IPv6 address as its /64 within its /48', () => {
    expect(anonymousTurnOf(clientKeyOf('2001:db8:5:1::7'))).toEqual({ group: '2001:db8:5::/48', member: '2001:db8:5:1::/64' });
    expect(anonymousTurnOf(clientKeyOf('2001:db8:5:1::8')).member).toBe('2001:db8:5:1::/64');
  });

  it('gives a key that is no address a turn of its own, in no group', () => {
    expect(anonymousTurnOf('')).toEqual({ group: null, member: '' });
    expect(anonymousTurnOf('unknown')).toEqual({ group: null, member: 'unknown' });
  });
});
