import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import proxyAddr from 'proxy-addr';
import { AddressCounts, type AddressGroupKind, groupOf } from './address-groups.js';
import { clientKeyOf } from './client-address.js';

export interface ConnectionCapOptions {
  /** `limits.maxConnectionsPerAddress`: TCP connections one address may hold open (its /64 `SUBNET_SHARE` times as many, its /48 `SITE_SHARE` times its /64's). */
  perAddress: number;
  /** `listen.trustedProxies`: a proxy carries many clients' connections and is never capped. */
  trustedProxies: readonly string[];
  /** A connection closed unheard: the address, which limit, and how many it was. */
  onRefused: (refusal: ConnectionRefusal) => void;
}

export interface ConnectionRefusal {
  remote: string;
  per: AddressGroupKind;
  /**
   * What is over its limit: the address, or its /64 (`2001:db8:1:2:0::/64`) or /48 (`2001:db8:1::/48`). Refusals are told
   * apart by this, not by `remote`: a host holding a full /64 has a fresh address for each
   * connection, and one log line per address was one line per refused connection.
   */
  group: string;
  limit: number;
}

/**
 * Caps the TCP connections one address holds open on a listener. The request
 * timeouts bound how long each lives, but not how many: one host opening
 * connections as fast as it can held every one of them for up to 10 s, each a
 * socket, a parser and a file descriptor, until the process ran out of
 * descriptors and no one else could connect.
 *
 * A connection past the cap is closed as it is accepted, before node reads a
 * byte of it, so nothing it sends is ever run. Writing an HTTP answer first
 * would not do: node parses what the client sends while that answer is being
 * written, and hands the request to the application (checked). Connection
 * limits in proxies (HAProxy's `tcp-request connection reject`) close the same way.
 */
export function capConnectionsPerAddress(server: Server, options: ConnectionCapOptions): void {
  const trusted = proxyAddr.compile([...options.trustedProxies]);
  const open = new AddressCounts(options.perAddress);
  // Before node's own listener, which starts reading the socket.
  server.prependListener('connection', (socket: Socket) => {
    const peer = socket.remoteAddress;
    // Gone before it was seen: nothing to count or close.
    if (peer === undefined) return;
    if (trusted(peer, 0)) return;
    const remote = clientKeyOf(peer);
    const refusedBy = open.take(remote);
    if (refusedBy !== null) {
      socket.destroy();
      options.onRefused(refusalOf(remote, refusedBy, options.perAddress));
      return;
    }
    socket.once('close', () => open.release(remote));
  });
}

/** What a refusal of `remote` by the limit `per` says: which limit, what it counts, how many. */
export function refusalOf(remote: string, per: ConnectionRefusal['per'], perAddress: number): ConnectionRefusal {
  const { group, limit } = groupOf(remote, per, perAddress);
  return { remote, per, group, limit };
}
