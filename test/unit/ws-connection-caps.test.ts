import { describe, expect, it } from 'vitest';
import { anonymousWith, type Principal } from '../../src/gateway/principal.js';
import { anonymousConnectionLimit, ConnectionCaps } from '../../src/server/ws/connection-caps.js';
import { countDown, countUp, operationsRunning } from '../../src/server/ws/operation-counts.js';

const keyed = (name: string): Principal => ({ name, keyId: `key-${name}`, roles: new Set(['viewer']), providers: null });
const anonymous = anonymousWith('viewer');

describe('ConnectionCaps', () => {
  it("holds anonymous callers together to their share of the total, at least one, and keeps the rest for keyed clients", () => {
    expect(anonymousConnectionLimit(1_000)).toBe(750);
    expect(anonymousConnectionLimit(1)).toBe(1);
    const caps = new ConnectionCaps({ maxWsConnections: 4, maxWsConnectionsPerClient: 4 });
    for (let address = 1; address <= 3; address += 1) expect(caps.admit(anonymous, `192.0.2.${address}`)).toEqual({ clientKey: `192.0.2.${address}` });
    expect(caps.admit(anonymous, '192.0.2.9')).toMatchObject({ per: 'anonymous', limit: 3 });
    expect(caps.admit(keyed('dashboard'), '192.0.2.9')).toEqual({ clientKey: expect.objectContaining({ name: 'dashboard' }) });
    expect(caps.admit(keyed('dashboard'), '192.0.2.9')).toMatchObject({ per: 'total' });
    caps.release(keyed('dashboard'));
    expect(caps.admit(anonymous, '192.0.2.9')).toMatchObject({ per: 'anonymous' });
    caps.release('192.0.2.1');
    expect(caps.admit(anonymous, '192.0.2.9')).toEqual({ clientKey: '192.0.2.9' });
  });

  it('refuses a client key past its cap, and admits it again once one of its connections closes', () => {
    const caps = new ConnectionCaps({ maxWsConnections: 100, maxWsConnectionsPerClient: 2 });
    const dashboard = keyed('dashboard');
    const first = caps.admit(dashboard, '10.0.0.1');
    expect(first).toEqual({ clientKey: dashboard });
    expect(caps.admit(dashboard, '10.0.0.2')).toEqual({ clientKey: dashboard });
    expect(caps.admit(dashboard, '10.0.0.3')).toEqual({ reason: 'too many connections for this client (limit 2)', limit: 2, per: 'client' });
    // Another key is counted apart.
    expect(caps.admit(keyed('other'), '10.0.0.1')).toEqual({ clientKey: expect.objectContaining({ name: 'other' }) });
    caps.release(dashboard);
    expect(caps.admit(dashboard, '10.0.0.3')).toEqual({ clientKey: dashboard });
    expect('reason' in caps.admit(dashboard, '10.0.0.4')).toBe(true);
  });

  it("keeps a client key's other connections counted as one closes, and forgets a key that holds none", () => {
    const caps = new ConnectionCaps({ maxWsConnections: 100, maxWsConnectionsPerClient: 3 });
    const dashboard = keyed('dashboard');
    for (let opened = 0; opened < 3; opened += 1) caps.admit(dashboard, '10.0.0.1');
    caps.release(dashboard);
    caps.release(dashboard);
    // One still open: two more fit, a third does not.
    expect('clientKey' in caps.admit(dashboard, '10.0.0.1')).toBe(true);
    expect('clientKey' in caps.admit(dashboard, '10.0.0.1')).toBe(true);
    expect(caps.admit(dashboard, '10.0.0.1')).toMatchObject({ per: 'client' });
    caps.admit(anonymous, '192.0.2.1');
    // The key, and the anonymous caller's address.
    expect(caps.remembered).toBe(2);
    for (let closed = 0; closed < 3; closed += 1) caps.release(dashboard);
    caps.release('192.0.2.1');
    expect(caps.remembered).toBe(0);
  });

  it('counts anonymous callers by address, not as one shared principal', () => {
    const caps = new ConnectionCaps({ maxWsConnections: 100, maxWsConnectionsPerClient: 1 });
    expect(caps.admit(anonymous, '192.0.2.1')).toEqual({ clientKey: '192.0.2.1' });
    expect(caps.admit(anonymous, '192.0.2.2')).toEqual({ clientKey: '192.0.2.2' });
    expect(caps.admit(anonymous, '192.0.2.1')).toEqual({ reason: 'too many connections for this client (limit 1)', limit: 1, per: 'address' });
    caps.release('192.0.2.1');
    expect(caps.admit(anonymous, '192.0.2.1')).toEqual({ clientKey: '192.0.2.1' });
  });

  it("names an anonymous IPv6 caller's /64 when that is what is full", () => {
    const caps = new ConnectionCaps({ maxWsConnections: 1_000, maxWsConnectionsPerClient: 1 });
    const refusals = [];
    for (let host = 1; host <= 40; host += 1) {
      // Client keys write IPv6 out in full (clientKeyOf).
      const place = caps.admit(anonymous, `2001:db8:0:1:0:0:0:${host.toString(16)}`);
      if ('reason' in place) refusals.push(place);
    }
    expect(refusals).toHaveLength(40 - 16);
    expect(refusals[0]).toEqual({ reason: "too many connections for this address's /64 (limit 16)", limit: 16, per: 'subnet' });
  });

  it('refuses every client once the total cap is full, and takes one more as one closes', () => {
    const caps = new ConnectionCaps({ maxWsConnections: 2, maxWsConnectionsPerClient: 10 });
    expect('clientKey' in caps.admit(keyed('a'), '10.0.0.1')).toBe(true);
    expect('clientKey' in caps.admit(anonymous, '10.0.0.2')).toBe(true);
    expect(caps.admit(keyed('b'), '10.0.0.3')).toEqual({ reason: 'too many connections (limit 2)', limit: 2, per: 'total' });
    // A total refusal takes no place of its own: nothing to give back for it.
    caps.release('10.0.0.2');
    expect(caps.admit(keyed('b'), '10.0.0.3')).toEqual({ clientKey: expect.objectContaining({ keyId: 'key-b' }) });
    expect('reason' in caps.admit(anonymous, '10.0.0.2')).toBe(true);
  });
});

describe('operation counts', () => {
  it('counts an id once per operation under it and forgets it at none', () => {
    const counts = new Map<string, number>();
    countUp(counts, 'a');
    countUp(counts, 'a');
    countDown(counts, 'a');
    expect(counts.get('a')).toBe(1);
    countDown(counts, 'a');
    expect(counts.has('a')).toBe(false);
    countDown(counts, 'b');
    expect(counts.has('b')).toBe(false);
  });

  it('counts queries still answering after their client completed them, without counting one twice', () => {
    const answering = new Map([
      ['q1', 1],
      ['q2', 1],
      ['s1', 1],
    ]);
    expect(operationsRunning({ s1: {}, s2: {} }, answering)).toBe(4);
    expect(operationsRunning({}, new Map())).toBe(0);
  });
});
