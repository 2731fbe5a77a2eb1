import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakerClock, realClock } from '../helpers/breaker-clock.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider refusing connections fails the breaker's half-open test in milliseconds: the state
 * gauge went 2, 1, 2 between two scrapes, so every scrape read 2 and the ProviderDown rule, which
 * looked for changes of the gauge, never fired (found with Prometheus scraping two replicas by
 * hand). `backup_graph_upstream_breaker_opens_total` counts each opening, the first and every
 * failed test's, so no scrape interval hides them.
 */
const QUERY = '{ instances { totalCount } }';
/** Far longer than the test: each half-open test comes only when the breaker's clock is moved past it. */
const HALF_OPEN_AFTER_MS = 600_000;

describe('backup_graph_upstream_breaker_opens_total', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ retries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS }) });
  });
  afterAll(async () => {
    realClock();
    await harness.close();
  });

  const scrape = async (): Promise<{ opens: number; state: number }> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const value = (name: string): number => Number(new RegExp(`^${name}\\{provider="zomro-test"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    return { opens: value('backup_graph_upstream_breaker_opens_total'), state: value('backup_graph_upstream_breaker_state') };
  };

  it('starts at 0, counts the opening and each failed half-open test, while the gauge reads open at every scrape', async () => {
    expect(await scrape()).toEqual({ opens: 0, state: 0 });
    await harness.simulator('zomro').server.setFault('down');
    await harness.gql(QUERY);
    await harness.gql(QUERY);
    expect(await scrape()).toEqual({ opens: 1, state: 2 });

    const clock = breakerClock();
    // Two half-open tests, each failed at once: two more openings, and the gauge open at every scrape.
    for (const opens of [2, 3]) {
      clock.pass(HALF_OPEN_AFTER_MS);
      await harness.gql(QUERY);
      expect(await scrape()).toEqual({ opens, state: 2 });
    }
    // Refused while open (no test made): no opening counted.
    await harness.gql(QUERY);
    expect(await scrape()).toEqual({ opens: 3, state: 2 });
  });
});
