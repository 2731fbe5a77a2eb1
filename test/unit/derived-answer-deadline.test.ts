import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { shortAnswerDeadlines } from '../../src/config/short-answer-deadline.js';

/**
 * limits.answerDeadlineMs left out of the file follows the slowest account: an operator who
 * raises an account's timeoutMs is not answered 504 on its healthy slow answers for not knowing a
 * second key had to follow. Written, it stays as written.
 */
const account = (id: string, upstream: Record<string, number> = {}) => ({ id, kind: 'danube', url: 'http://127.0.0.1:9/', auth: { apiKey: `${id}-long-enough-api-key` }, ...upstream });
const configWith = (providers: unknown[], limits?: Record<string, number>) => validateConfig({ allowAnonymous: true, providers, ...(limits ? { limits } : {}) });

describe('limits.answerDeadlineMs when the file leaves it out', () => {
  it('is 180 s for accounts at the default upstream policy', () => {
    expect(configWith([account('dc1'), account('dc2')]).limits.answerDeadlineMs).toBe(180_000);
  });

  it('is the least the slowest account needs: timeoutMs 60 s reads 190 s, a 100-instance createBackups 610 s, and 60 s of margin', () => {
    const config = configWith([account('dc1'), account('slow-panel', { timeoutMs: 60_000 })]);
    expect(config.limits.answerDeadlineMs).toBe(670_000);
    expect(shortAnswerDeadlines(config)).toEqual([]);
  });

  it('follows limits.maxBulkInstances: 1,000 instances in waves of 16 at the default 10 s', () => {
    // 63 waves of 10 s after a 40 s read: 670 s, above 3 rounds of reads (120 s); 60 s of margin.
    expect(configWith([account('dc1')], { maxBulkInstances: 1000 }).limits.answerDeadlineMs).toBe(730_000);
  });

  it('stops at the schema\'s 1 h, and then still warns of the account that needs more', () => {
    const config = configWith([account('very-slow', { timeoutMs: 300_000, retries: 10 })]);
    expect(config.limits.answerDeadlineMs).toBe(3_600_000);
    expect(shortAnswerDeadlines(config).map((short) => short.provider)).toEqual(['very-slow']);
  });

  it('a deadline the file writes is kept as written, short or not', () => {
    expect(configWith([account('slow-panel', { timeoutMs: 60_000 })], { answerDeadlineMs: 180_000 }).limits.answerDeadlineMs).toBe(180_000);
    expect(configWith([account('dc1')], { answerDeadlineMs: 5_000 }).limits.answerDeadlineMs).toBe(5_000);
  });
});
