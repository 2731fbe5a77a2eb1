import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { readAfterAccepted } from '../../src/providers/read-after-accepted.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';

/** The read after a write the provider accepted: its refusal answers the write as under way, never "refused without acting". */
describe('readAfterAccepted', () => {
  const underWay = (refusal: unknown): string => `under way (${refusal instanceof GatewayError ? refusal.code : String(refusal)})`;

  it("answers the read's own answer when it succeeds, without asking underWay", async () => {
    let asked = 0;
    await expect(readAfterAccepted(async () => 'read', () => `${(asked += 1)}`)).resolves.toBe('read');
    expect(asked).toBe(0);
  });

  it("answers underWay, given the refusal, for a read refused with the provider's own word (403, 404)", async () => {
    for (const refusal of [new GatewayError('PROVIDER_ERROR', 'forbidden', { provider: 'p', providerCode: 'HTTP_403' }), new GatewayError('NOT_FOUND', 'no such VM')]) {
      expect(mayHaveActed(refusal)).toBe(false);
      await expect(readAfterAccepted(() => Promise.reject(refusal), underWay)).resolves.toBe(`under way (${refusal.code})`);
    }
  });

  it('keeps a read failure already read as "may have acted" (a timeout) as it is: underWay is not asked', async () => {
    const timeout = new UpstreamFailure('PROVIDER_TIMEOUT', 'provider p timed out', { provider: 'p' }, 'timeout');
    expect(mayHaveActed(timeout)).toBe(true);
    let asked = 0;
    const answer = readAfterAccepted(() => Promise.reject(timeout), () => `${(asked += 1)}`);
    await expect(answer).rejects.toBe(timeout);
    expect(asked).toBe(0);
  });

  it('fails with what underWay throws (a failure that keeps the key)', async () => {
    const kept = new Error('kept failure');
    const answer = readAfterAccepted<string>(() => Promise.reject(new GatewayError('NOT_FOUND', 'no such VM')), () => {
      throw kept;
    });
    await expect(answer).rejects.toBe(kept);
  });
});
