import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_WS_CONNECTIONS_SHARE } from '../../src/server/ws/connection-caps.js';
import { type Harness, startHarness, withClients, withLimits, withTrustedLoopbackProxy } from '../helpers/harness.js';
import { rawConnection, type RawConnection } from '../helpers/ws.js';

const TOTAL = 8;
const ANONYMOUS_LIMIT = Math.floor(TOTAL * ANONYMOUS_WS_CONNECTIONS_SHARE);
const KEY = 'bg_ws_share_key_0123456789abcdef0123';

describe("anonymous WebSocket connections take at most a share of the total: the rest is kept for keyed clients", () => {
  let harness: Harness;
  const raws: RawConnection[] = [];
  /** A connection from its own address (as many addresses as an attacker holds), kept open. */
  const connect = (forwardedFor: string, key?: string): RawConnection => {
    const made = rawConnection(harness.gateway.graphqlUrl, key, { 'x-forwarded-for': forwardedFor });
    raws.push(made);
    return made;
  };

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'dashboard', key: KEY, roles: ['viewer'] }], { allowAnonymous: true }),
        withLimits({ maxWsConnections: TOTAL, maxWsConnectionsPerClient: TOTAL }),
        withTrustedLoopbackProxy(),
      ],
    });
  });
  afterAll(async () => {
    for (const made of raws) made.socket.terminate();
    await harness.close();
  });

  it('refuses an anonymous connection past the share with 4429 and a reason, and still admits keyed clients up to the total', async () => {
    for (let address = 1; address <= ANONYMOUS_LIMIT; address++) expect(await connect(`192.0.2.${address}`).acknowledged).toBe(true);
    // Before, anonymous callers from enough addresses filled the whole total and keyed clients got 4429.
    const refused = connect('192.0.2.100');
    expect(await refused.acknowledged).toBe(false);
    const close = await refused.closed;
    expect(close.code).toBe(4429);
    expect(close.reason).toContain(`too many connections without a key (limit ${ANONYMOUS_LIMIT}`);
    expect(harness.logs.some((line) => line.includes("anonymous callers' share of the total cap") && line.includes('"per":"anonymous"'))).toBe(true);
    for (let keyed = ANONYMOUS_LIMIT; keyed < TOTAL; keyed++) expect(await connect('198.51.100.1', KEY).acknowledged).toBe(true);
    // The total still refuses everyone once it is full.
    const pastTotal = connect('198.51.100.1', KEY);
    expect(await pastTotal.acknowledged).toBe(false);
    expect(await pastTotal.closed).toEqual({ code: 4429, reason: `too many connections (limit ${TOTAL})` });
  });

  it("gives an anonymous connection's place in the share back when it closes", async () => {
    const first = raws[0]!;
    first.socket.close();
    await first.closed;
    expect(await connect('192.0.2.200').acknowledged).toBe(true);
    expect(await connect('192.0.2.201').acknowledged).toBe(false);
  });
});
