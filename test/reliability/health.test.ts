import { afterEach, describe, expect, it } from 'vitest';
import { breakerClock, realClock } from '../helpers/breaker-clock.js';
import { type Harness, startHarness, withAccountCopy, withProviderSettings } from '../helpers/harness.js';

/**
 * Health says what the gateway just saw: DEGRADED from the first transient
 * failure (the breaker still closed), DOWN while the breaker is open, UP after
 * a success; /readyz and one warn line per change name the cause's class,
 * never an address.
 */
const QUERY = '{ instances { providerErrors { provider { id } code } } providers { id health } }';

interface Answer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string }> };
  providers: Array<{ id: string; health: string }>;
}

interface Ready {
  status: string;
  providers: Array<{ id: string; health: string; breaker: string; cause?: string }>;
}

interface LogLine {
  level: number;
  msg: string;
  provider?: string;
  health?: string;
  cause?: string;
}

/** Far longer than the test: the half-open test comes only when breakerClock() moves past it. */
const HALF_OPEN_AFTER_MS = 600_000;
const WARN = 40;
const DEBUG = 20;

describe('provider health tells the truth', () => {
  let harness: Harness;
  afterEach(async () => {
    realClock();
    await harness.close();
  });

  const ready = async (): Promise<{ status: number; body: Ready }> => {
    const response = await fetch(`${harness.gateway.adminUrl}/readyz`);
    return { status: response.status, body: (await response.json()) as Ready };
  };
  const lines = (): LogLine[] => harness.logs.map((line) => JSON.parse(line) as LogLine);
  const healthChanges = (): LogLine[] => lines().filter((line) => line.msg === 'provider health changed');

  it('a refusing provider: DEGRADED with cause "refused" after one failure, DOWN once the breaker opens, UP after recovery', async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withProviderSettings({ retries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS }),
    });
    const clock = breakerClock();
    await harness.simulator('zomro').server.setFault('down');

    const first = await harness.gql<Answer>(QUERY);
    expect(first.data?.instances.providerErrors).toEqual([{ provider: { id: 'zomro-test' }, code: 'PROVIDER_UNAVAILABLE' }]);
    // Asked after the failure (in the same query the field may resolve before the call fails).
    expect((await harness.gql<Answer>('{ providers { id health } }')).data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED' }]);
    const degraded = await ready();
    // Still ready: the breaker is closed and the provider may answer the next call.
    expect(degraded.status).toBe(200);
    expect(degraded.body.providers).toEqual([{ id: 'zomro-test', kind: 'zomro', health: 'DEGRADED', breaker: 'closed', cause: 'refused' }]);
    expect(healthChanges()).toEqual([expect.objectContaining({ level: WARN, provider: 'zomro-test', health: 'DEGRADED', cause: 'refused' })]);
    expect(lines().filter((line) => line.msg === 'upstream attempt failed')).toEqual([expect.objectContaining({ level: DEBUG, cause: 'refused' })]);

    await harness.gql(QUERY);
    await harness.gql(QUERY);
    const down = await ready();
    // Reported, not acted on: readiness is the replica's own (test/reliability/readiness.test.ts).
    expect(down.status).toBe(200);
    expect(down.body.providers).toEqual([{ id: 'zomro-test', kind: 'zomro', health: 'DOWN', breaker: 'open', cause: 'refused' }]);
    // One warn line per change, not per failure.
    expect(healthChanges().map((line) => [line.level, line.health, line.cause])).toEqual([
      [WARN, 'DEGRADED', 'refused'],
      [WARN, 'DOWN', 'refused'],
    ]);
    expect(lines().filter((line) => line.msg === 'upstream attempt failed')).toHaveLength(3);

    await harness.simulator('zomro').server.clearFault();
    // Open until its half-open test, which the moved clock lets through: that read closes it.
    expect((await harness.gql<Answer>(QUERY)).data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    // Refused by the open breaker, no attempt made.
    expect(lines().filter((line) => line.msg === 'upstream attempt failed')).toHaveLength(3);
    clock.pass(HALF_OPEN_AFTER_MS);
    expect((await harness.gql<Answer>(QUERY)).data?.instances.providerErrors).toEqual([]);
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.providers).toEqual([{ id: 'zomro-test', kind: 'zomro', health: 'UP', breaker: 'closed' }]);
    // The breaker's half-open test is not a change of its own: DEGRADED, DOWN, then UP.
    expect(healthChanges().map((line) => [line.health, line.cause])).toEqual([
      ['DEGRADED', 'refused'],
      ['DOWN', 'refused'],
      ['UP', undefined],
    ]);
    expect((await harness.gql<Answer>('{ providers { id health } }')).data?.providers).toEqual([{ id: 'zomro-test', health: 'UP' }]);
  });

  it('names the cause class of each failure (http 5xx, reset, dns, tls) and never an address', async () => {
    harness = await startHarness({
      kinds: ['zomro', 'onapp'],
      configure: [
        withAccountCopy('zomro', { id: 'zomro-dns', url: 'http://backup-graph-test.invalid/' }),
        // TLS spoken to a plain-HTTP server: the handshake fails.
        withAccountCopy('zomro', (zomro) => ({ id: 'zomro-tls', url: `https://127.0.0.1:${new URL(String(zomro.url)).port}/` })),
        withProviderSettings({ retries: 0 }),
      ],
    });
    await harness.simulator('zomro').server.setFault('http-503');
    // The answer's connection closes half-way through its body.
    await harness.simulator('onapp').server.setFault('truncated');
    const answer = await harness.gql<Answer>(QUERY);
    expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(Array(4).fill('PROVIDER_UNAVAILABLE'));

    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(Object.fromEntries(body.providers.map((provider) => [provider.id, [provider.health, provider.cause]]))).toEqual({
      'zomro-test': ['DEGRADED', 'http_5xx'],
      'onapp-test': ['DEGRADED', 'reset'],
      'zomro-dns': ['DEGRADED', 'dns'],
      'zomro-tls': ['DEGRADED', 'tls'],
    });
    expect(Object.fromEntries(healthChanges().map((line) => [line.provider, line.cause]))).toEqual({
      'zomro-test': 'http_5xx',
      'onapp-test': 'reset',
      'zomro-dns': 'dns',
      'zomro-tls': 'tls',
    });
    const shown = JSON.stringify(body) + healthChanges().map((line) => JSON.stringify(line)).join('\n');
    expect(shown).not.toMatch(/invalid|127\.0\.0\.1|https?:|localhost/);
    expect(shown).not.toContain(new URL(harness.simulator('zomro').url).port);
  });
  it('an account answering with redirects is DEGRADED with cause "redirect" (never retried, never opening the breaker), and UP once it answers', async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ retries: 2, breakerThreshold: 2 }) });
    await harness.simulator('onapp').server.setFault({ mode: 'redirect' });
    for (let call = 0; call < 3; call++) {
      const answer = await harness.gql<Answer>(QUERY);
      expect(answer.data?.instances.providerErrors).toEqual([{ provider: { id: 'onapp-test' }, code: 'PROVIDER_ERROR' }]);
    }
    expect(harness.simulator('onapp').server.count('GET /virtual_machines.json')).toBe(3);
    const redirected = await ready();
    expect(redirected.status).toBe(200);
    expect(redirected.body.providers).toEqual([{ id: 'onapp-test', kind: 'onapp', health: 'DEGRADED', breaker: 'closed', cause: 'redirect' }]);
    expect((await harness.gql<Answer>('{ providers { id health } }')).data?.providers).toEqual([{ id: 'onapp-test', health: 'DEGRADED' }]);
    expect(healthChanges().map((line) => [line.level, line.health, line.cause])).toEqual([[WARN, 'DEGRADED', 'redirect']]);

    await harness.simulator('onapp').server.clearFault();
    expect((await harness.gql<Answer>(QUERY)).data?.instances.providerErrors).toEqual([]);
    expect((await ready()).body.providers).toEqual([{ id: 'onapp-test', kind: 'onapp', health: 'UP', breaker: 'closed' }]);
  });
});
