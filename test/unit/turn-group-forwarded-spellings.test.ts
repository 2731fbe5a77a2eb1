import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver } from '../../src/server/client-address.js';
import { anonymousTurnOf } from '../../src/server/turn-group.js';

/** A request from `peer` (a trusted proxy here) with that X-Forwarded-For. */
const from = (peer: string, forwardedFor: string): IncomingMessage =>
  ({ socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

const turnOf = (forwardedFor: string, peer = '10.9.8.7') => anonymousTurnOf(clientAddressResolver(['10.0.0.0/8'])(from(peer, forwardedFor)));

/**
 * Attacks on the anonymous IPv4 turns by /24, through a trusted proxy's X-Forwarded-For (what a
 * proxy writes, or a client's own text a proxy passes on): all held. Node's isIP refuses every
 * spelling a reader of integers would take another way (leading zeros, octal, hex, one number, a
 * port, brackets), so the walk stops at the proxy and the request takes the proxy's turn, never a
 * /24 of its own choosing.
 */
describe('anonymous IPv4 turns by /24 from a trusted X-Forwarded-For spelt oddly', () => {
  it('reads the IPv4 address inside an IPv6 form in its own /24, as the plain one', () => {
    for (const spelt of ['203.0.113.7', '::ffff:203.0.113.7', '::FFFF:203.0.113.7', '::ffff:cb00:7107', '0:0:0:0:0:ffff:cb00:7107', '64:ff9b::203.0.113.7', '64:ff9b::cb00:7107', ' 203.0.113.7']) {
      expect(turnOf(spelt), spelt).toEqual({ group: '203.0.113.0/24', member: '203.0.113.7' });
    }
  });

  it('takes the proxy\'s turn for a spelling that a reader of integers reads as another address, or with a port or brackets', () => {
    for (const spelt of ['010.1.1.1', '203.000.113.7', '0313.0.113.7', '0xcb.0.113.7', '0xcb007107', '3405803783', '203.0.29447', '203.7', '203.0.113.7:5000', '[::ffff:203.0.113.7]', '[::ffff:203.0.113.7]:5000', '203.0.113.7.', '２０３.0.113.7', '203.0.113.07']) {
      expect(turnOf(spelt), spelt).toEqual({ group: '10.9.8.0/24', member: '10.9.8.7' });
    }
  });

  it('gives one client no /24 of its own per spelling: every spelling of one address is one member of one group', () => {
    const turns = new Set(['198.51.100.9', '::ffff:198.51.100.9', '::ffff:c633:6409', '64:ff9b::c633:6409', '::FFFF:C633:6409'].map((spelt) => JSON.stringify(turnOf(spelt))));
    expect([...turns]).toEqual([JSON.stringify({ group: '198.51.100.0/24', member: '198.51.100.9' })]);
  });

  it("a client's own header before the proxy's entry is not believed: its turn is the address the proxy saw", () => {
    expect(turnOf('1.2.3.4, 5.6.7.8, 198.51.100.9')).toEqual({ group: '198.51.100.0/24', member: '198.51.100.9' });
    expect(turnOf('::ffff:1.2.3.4, 198.51.100.9')).toEqual({ group: '198.51.100.0/24', member: '198.51.100.9' });
  });

  it('gives a /24 one group over 6to4 too: each address of it is a /48 (2002:V4ADDR::/48), one member each of its /24, not a /48 group apiece', () => {
    const sites = Array.from({ length: 256 }, (_, host) => `2002:c633:64${host.toString(16).padStart(2, '0')}:${host}::1`);
    const turns = sites.map((spelt) => turnOf(spelt));
    expect(new Set(turns.map((turn) => turn.group))).toEqual(new Set(['198.51.100.0/24']));
    expect(new Set(turns.map((turn) => turn.member)).size).toBe(256);
    // Every /64 of one 6to4 site is that one address's member, as an IPv4 address is one.
    expect(turnOf('2002:c633:6409:1::1')).toEqual(turnOf('2002:c633:6409:ffff::9'));
    expect(turnOf('2002:c633:6409:1::1').member).toBe('2002:c633:6409::/48');
  });
});
