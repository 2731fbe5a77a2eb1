import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { subnetOf } from '../../src/server/address-groups.js';
import { MAX_FORWARDED_HOPS, clientAddressResolver, clientKeyOf, trustedProxyProblem } from '../../src/server/client-address.js';

const request = (peer: string, forwardedFor?: string): IncomingMessage =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('clientAddressResolver', () => {
  it('is the peer address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const addressOf = clientAddressResolver([]);
    expect(addressOf(request('127.0.0.1', '203.0.113.7'))).toBe('127.0.0.1');
  });

  it('is the last hop not among the trusted proxies', () => {
    const addressOf = clientAddressResolver(['loopback', '10.0.0.0/8']);
    expect(addressOf(request('127.0.0.1', '198.51.100.9, 203.0.113.7, 10.0.0.2'))).toBe('203.0.113.7');
    expect(addressOf(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('believes no header from a peer that is not a trusted proxy', () => {
    const addressOf = clientAddressResolver(['10.0.0.0/8']);
    expect(addressOf(request('192.0.2.1', '203.0.113.7'))).toBe('192.0.2.1');
  });
});

describe('trustedProxyProblem', () => {
  it('accepts addresses, ranges and range names and says what is wrong with anything else', () => {
    expect(['192.0.2.1', '10.0.0.0/8', 'fd00::/8', 'loopback', 'linklocal', 'uniquelocal'].map(trustedProxyProblem)).toEqual([null, null, null, null, null, null]);
    expect(trustedProxyProblem('haproxy')).toBe('invalid IP address: haproxy');
  });
});

describe('clientAddressResolver on a destroyed socket', () => {
  it('answers an empty address rather than undefined', () => {
    const gone = { socket: { remoteAddress: undefined }, headers: {} } as unknown as IncomingMessage;
    expect(clientAddressResolver([])(gone)).toBe('');
    expect(clientAddressResolver(['loopback'])(gone)).toBe('');
  });
});

describe('clientAddressResolver against made-up hops', () => {
  const addressOf = clientAddressResolver(['loopback', '10.0.0.0/8']);

  it('stops at the nearest trusted hop when the next one is not an IP address', () => {
    expect(addressOf(request('127.0.0.1', 'garbage'))).toBe('127.0.0.1');
    expect(addressOf(request('127.0.0.1', '203.0.113.7, x'.padEnd(16_000, 'x') + ', 10.0.0.2'))).toBe('10.0.0.2');
    expect(addressOf(request('127.0.0.1', ', ,'))).toBe('127.0.0.1');
  });

  it('takes IPv6 and IPv4-mapped hops, and refuses one longer than any address', () => {
    expect(addressOf(request('127.0.0.1', '2001:db8::1'))).toBe('2001:db8:0:0:0:0:0:1');
    expect(addressOf(request('::1', '::ffff:203.0.113.7'))).toBe('203.0.113.7');
    expect(addressOf(request('127.0.0.1', 'fe80::1%eth0'))).toBe('fe80:0:0:0:0:0:0:1');
    const longest = `fe80::1%${'e'.repeat(56)}`;
    expect(addressOf(request('127.0.0.1', longest))).toBe('fe80:0:0:0:0:0:0:1');
    expect(addressOf(request('127.0.0.1', `${longest}e`))).toBe('127.0.0.1');
  });
});

describe('clientKeyOf: IPv6 with a dotted tail, and NAT64', () => {
  it('reads the last 32 bits written as a dotted quad as the same address written in hex', () => {
    expect(clientKeyOf('2001:db8::1.2.3.4')).toBe(clientKeyOf('2001:db8::102:304'));
    expect(clientKeyOf('2001:DB8:0:0:0:0:255.255.0.1')).toBe('2001:db8:0:0:0:0:ffff:1');
    expect(subnetOf(clientKeyOf('2001:db8:5::9.9.9.9'))).toBe('2001:db8:5:0::/64');
    // IPv4-mapped stays IPv4; a dotted tail that is no IPv4 address is left as written.
    expect(clientKeyOf('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(clientKeyOf('2001:db8::1.2.3.400')).toBe('2001:db8::1.2.3.400');
    expect(clientKeyOf('2001:db8::10.200.30.255')).toBe('2001:db8:0:0:0:0:ac8:1eff');
    expect(clientKeyOf('2001:db8::255.255.255.255')).toBe('2001:db8:0:0:0:0:ffff:ffff');
    expect(clientKeyOf('::ffff:10.200.30.255')).toBe('10.200.30.255');
    // Only the last 32 bits may be dotted: anything more is no address, and left as written.
    expect(clientKeyOf('::1.2.3.4.5')).toBe('::1.2.3.4.5');
  });

  it('counts a client behind NAT64 (64:ff9b::/96) as the IPv4 address inside, however written', () => {
    expect(clientKeyOf('64:ff9b::cb00:7107')).toBe('203.0.113.7');
    expect(clientKeyOf('64:ff9b::203.0.113.7')).toBe('203.0.113.7');
    expect(clientKeyOf('64:ff9b::ffff:ffff')).toBe('255.255.255.255');
    expect(subnetOf(clientKeyOf('64:ff9b::cb00:7107'))).toBeNull();
    // Next to it, outside the /96: IPv6 as usual.
    expect(clientKeyOf('64:ff9b:1::cb00:7107')).toBe('64:ff9b:1:0:0:0:cb00:7107');
  });
});

describe('clientKeyOf: one key per client, whatever the spelling', () => {
  it('counts an IPv4 address however it is written as the same client', () => {
    for (const spelling of ['203.0.113.7', '::ffff:203.0.113.7', '::ffff:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7']) expect(clientKeyOf(spelling)).toBe('203.0.113.7');
  });

  it('writes IPv6 out in full, in lower case, without a zone id, each address on its own', () => {
    for (const spelling of ['2001:db8::7', '2001:DB8::7', '2001:db8::7%x', '2001:db8:0:0:0:0:0:7']) expect(clientKeyOf(spelling)).toBe('2001:db8:0:0:0:0:0:7');
    // Separate hosts of one /64 (a Docker network, a cloud subnet) are separate clients.
    expect(clientKeyOf('2001:db8::8')).toBe('2001:db8:0:0:0:0:0:8');
    expect(clientKeyOf('::1')).toBe('0:0:0:0:0:0:0:1');
  });

  it('never throws on an address node accepts: zone ids with any character, IPv4 inside compressed IPv6', () => {
    // Each of these crashed the process from a WebSocket upgrade (ipaddr.js 1.9 refuses them).
    expect(clientKeyOf('fe80::3:1%br-v3veth')).toBe('fe80:0:0:0:0:0:3:1');
    expect(clientKeyOf('fe80::1%eth0.100')).toBe('fe80:0:0:0:0:0:0:1');
    expect(clientKeyOf('::1.2.3.4')).toBe('0:0:0:0:0:0:102:304');
    expect(clientKeyOf('64:FF9B::1.2.3.4')).toBe('1.2.3.4');
    expect(clientKeyOf('%eth0')).toBe('');
  });
});

describe('clientAddressResolver against a long chain of trusted hops', () => {
  const addressOf = clientAddressResolver(['loopback', '10.0.0.0/8']);
  const chain = (hops: number): string => ['203.0.113.7', ...Array.from({ length: hops }, (_, index) => `10.0.${index >> 8}.${index & 255}`)].join(', ');

  it('walks a chain of up to MAX_FORWARDED_HOPS (32) entries to its client', () => {
    expect(MAX_FORWARDED_HOPS).toBe(32);
    expect(addressOf(request('127.0.0.1', chain(31)))).toBe('203.0.113.7');
  });

  it('looks only at the nearest MAX_FORWARDED_HOPS entries: a trusted peer sending 16 KiB of trusted hops costs a walk of those', () => {
    // 1,800 hops walked cost 1.3 ms a look at a request; the nearest 32, 0.06 ms.
    // The 32 nearest are the hops 1,768 to 1,799: the walk ends at the farthest of them.
    expect(addressOf(request('127.0.0.1', chain(1_800)))).toBe('10.0.6.232');
  });
});

describe('clientKeyOf asked in turn for different addresses', () => {
  it('keys each by itself, the same text always to the same key', () => {
    // Addresses alternating as keep-alive clients' requests interleave: a key kept from the
    // address before would put one client in another's bucket.
    const asked = ['127.0.0.1', '::ffff:203.0.113.7', '127.0.0.1', '2001:db8::1', '2001:db8::1', '64:ff9b::c000:221', 'not an address', '127.0.0.1'];
    expect(asked.map(clientKeyOf)).toEqual(['127.0.0.1', '203.0.113.7', '127.0.0.1', '2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:1', '192.0.2.33', 'not an address', '127.0.0.1']);
  });
});
