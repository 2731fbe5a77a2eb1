import { describe, expect, it } from 'vitest';
import { ANSWER_DEADLINE_DEFAULT_MS, DEFAULT_BULK_INSTANCES, leastAnswerDeadlineMs, longestReadMs } from '../../src/upstream/longest-read.js';

/**
 * longest-read.ts asked directly with settings of its own (mutation testing, 2026-12-07: only the
 * defaults were asked, through derived-answer-deadline, where several sums come out the same).
 * timeoutMs 1000, retries 1, retryMaxDelayMs 300, maxConcurrency 4: a read is 2 x 1000 + 300.
 */
const POLICY = { timeoutMs: 1000, retries: 1, retryMaxDelayMs: 300, maxConcurrency: 4 };

describe('longestReadMs and leastAnswerDeadlineMs', () => {
  it('counts every try at its timeout and the longest wait before each retry', () => {
    expect(longestReadMs(POLICY)).toBe(2300);
    expect(longestReadMs({ ...POLICY, retries: 0 })).toBe(1000);
    expect(longestReadMs({ ...POLICY, retries: 3 })).toBe(4900);
  });

  it('allows three reads in a row, or a bulk create\'s rounds of writes and a read, and a minute more', () => {
    // Three reads (6,900) outlast 10 creates, 3 rounds of 4 (3,000 + 2,300).
    expect(leastAnswerDeadlineMs(POLICY, 10)).toBe(66_900);
    // 41 creates are 11 rounds (a last round of one counts whole): 11,000 + 2,300.
    expect(leastAnswerDeadlineMs(POLICY, 41)).toBe(73_300);
    expect(leastAnswerDeadlineMs(POLICY, 40)).toBe(72_300);
  });

  it('gives the default deadline from the default settings and 100 instances', () => {
    expect(DEFAULT_BULK_INSTANCES).toBe(100);
    expect(ANSWER_DEADLINE_DEFAULT_MS).toBe(180_000);
  });
});
