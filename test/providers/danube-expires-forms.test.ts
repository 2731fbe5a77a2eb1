import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withDanubePasswordLogin, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id } } } }';
const LIFETIME_MS = 60_000;

/**
 * Danube's login answers `expires` in a form its docs do not give. The gateway read it with
 * `Date.parse` alone: an ISO date without a zone as the gateway's local time (east of UTC the token
 * looked ended, so it was never renewed ahead; west, hours too late), and seconds since the epoch not
 * at all. Each form now renews ahead of the end; an unreadable one falls back to renewing when Danube
 * refuses the token, without failing the query. The gateway runs here in a zone east of UTC (Tokyo),
 * where the old reading of a date without a zone misses the end.
 */
describe('danube: each form of the login\'s `expires` renews the token ahead of its end', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  const zone = process.env.TZ;
  const moveClock = (ms: number) => vi.setSystemTime(Date.now() + ms);
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    process.env.TZ = 'Asia/Tokyo';
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 3 }, configure: [withDanubePasswordLogin(), withProviderSettings({ cacheTtlMs: 0 })] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.tokenLifetimeMs = LIFETIME_MS;
  });
  afterEach(() => {
    simulator.expiresFormat = 'iso';
  });
  afterAll(async () => {
    await harness.close();
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    vi.useRealTimers();
  });

  /** A login under `format`, then a query just inside the token's end less its margin: it must log in first, refused never. */
  async function renewsAhead(format: DanubeSimulator['expiresFormat']): Promise<void> {
    simulator.expiresFormat = format;
    simulator.expireToken();
    expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
    const logins = simulator.logins;
    const refused = simulator.tokensRefused;
    moveClock(LIFETIME_MS - 5_000);
    expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
    expect(simulator.logins - logins).toBe(1);
    expect(simulator.tokensRefused - refused).toBe(0);
  }

  it('an ISO date with its zone (`...Z`)', () => renewsAhead('iso'));

  it('an ISO date without a zone, read as UTC and not as the gateway\'s local time', () => renewsAhead('iso-no-zone'));

  it('seconds since the epoch', () => renewsAhead('epoch-seconds'));

  it('an unreadable `expires` renews once Danube refuses the token, and the query is answered', async () => {
    simulator.expiresFormat = 'unreadable';
    simulator.expireToken();
    expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
    const logins = simulator.logins;
    const refused = simulator.tokensRefused;
    moveClock(LIFETIME_MS + 1_000);
    expect((await harness.gql(INSTANCES)).errors).toBeUndefined();
    expect(simulator.logins - logins).toBe(1);
    expect(simulator.tokensRefused - refused).toBeGreaterThan(0);
  });
});
