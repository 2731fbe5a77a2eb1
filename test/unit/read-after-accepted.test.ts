import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { answerAfterAccepted } from '../../src/providers/read-after-accepted.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';

/** The read after a write the provider accepted: any failure of the gateway's side answers from the write, never fails it. */
describe('answerAfterAccepted', () => {
  it("answers the read's own answer when it succeeds, without asking fromWrite", async () => {
    let asked = 0;
    await expect(answerAfterAccepted(async () => 'read', () => `${(asked += 1)}`)).resolves.toBe('read');
    expect(asked).toBe(0);
  });

  it("answers fromWrite for a read refused with the provider's own word (403, 404), a 5xx or a timeout", async () => {
    const failures = [
      new GatewayError('PROVIDER_ERROR', 'forbidden', { provider: 'p', providerCode: 'HTTP_403' }),
      new GatewayError('NOT_FOUND', 'no such VM'),
      new GatewayError('PROVIDER_ERROR', 'server error', { provider: 'p', providerCode: 'HTTP_500' }),
      new UpstreamFailure('PROVIDER_TIMEOUT', 'provider p timed out', { provider: 'p' }, 'timeout'),
    ];
    for (const failure of failures) await expect(answerAfterAccepted(() => Promise.reject(failure), () => 'from the write')).resolves.toBe('from the write');
  });

  it('throws what is no gateway error (a bug) as it is: fromWrite is not asked', async () => {
    const bug = new TypeError('x is undefined');
    let asked = 0;
    await expect(answerAfterAccepted(() => Promise.reject(bug), () => `${(asked += 1)}`)).rejects.toBe(bug);
    expect(asked).toBe(0);
  });

  it('fails with what fromWrite throws', async () => {
    const kept = new Error('kept failure');
    const answer = answerAfterAccepted<string>(() => Promise.reject(new GatewayError('NOT_FOUND', 'no such VM')), () => {
      throw kept;
    });
    await expect(answer).rejects.toBe(kept);
  });
});
