import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { ZstackClient } from '../../src/providers/zstack/client.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';

/** Nothing is sent: a job's ID.1001 is told to the client after its poll, which the adapter reads. */
const account = (): UpstreamClient =>
  new UpstreamClient({ providerId: 'zstack-test', kind: 'zstack', baseUrl: 'http://127.0.0.1:9/', policy: { ...UPSTREAM_DEFAULTS, retries: 0 }, logger: createLogger('silent') });

describe('ZstackClient.sessionRefusedInJob', () => {
  it("a fixed sessionId refused in a job sent since the client was made is the configured credentials refused: health DEGRADED, cause credentials", () => {
    const upstream = account();
    const client = new ZstackClient(upstream, { sessionId: 'fixed-session-0c4e' });
    expect(client.sessionRefusedInJob(new Date())).toBe('configured');
    expect(upstream.healthReport()).toEqual({ health: 'DEGRADED', cause: 'credentials' });
  });

  it('a job sent before the client was made (a restart with the sessionId put right polling an old job) leaves health as it is', () => {
    const upstream = account();
    const client = new ZstackClient(upstream, { sessionId: 'fixed-session-0c4e' });
    expect(client.sessionRefusedInJob(new Date(Date.now() - 60_000))).toBe('configured');
    expect(upstream.healthReport()).toEqual({ health: 'UP', cause: null });
  });

  it('(guard) a session from a login refused in a job is an expired one, no refusal of the credentials', () => {
    const upstream = account();
    const client = new ZstackClient(upstream, { accountName: 'admin', password: 'pw-never-sent-7d1a' });
    expect(client.sessionRefusedInJob(new Date())).toBe('expired');
    expect(upstream.healthReport()).toEqual({ health: 'UP', cause: null });
  });
});
