import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { smallAnswerBudget } from '../../src/config/small-answer-budget.js';

const MiB = 1024 * 1024;
const withBudget = (maxAnswerBytesHeld?: number) =>
  validateConfig({ allowAnonymous: true, providers: [{ id: 'flex', kind: 'onapp', url: 'https://cloud.example.com', auth: { username: 'ops', password: 'a-longer-api-key' } }], ...(maxAnswerBytesHeld === undefined ? {} : { limits: { maxAnswerBytesHeld } }) });

describe('smallAnswerBudget: limits.maxAnswerBytesHeld below one answer (large lists then time out one after another)', () => {
  it('warns of a budget below the 32 MiB answer size limit, naming the key, its value and what to set', () => {
    expect(smallAnswerBudget(withBudget(16 * MiB))).toBe(
      "limits.maxAnswerBytesHeld (16777216) is below one upstream answer's size limit (33554432, 32 MiB): an account's answers larger than it are read one at a time, each paused reader waiting within its account's timeoutMs, so concurrent large lists fail as PROVIDER_TIMEOUT (backup_graph_upstream_answer_reads_paused above 0); set it to at least 33554432, or leave it out (default 134217728)",
    );
    expect(smallAnswerBudget(withBudget(32 * MiB - 1))).toMatch(/^limits\.maxAnswerBytesHeld \(33554431\)/);
  });

  it('says nothing of the default, of one answer exactly, or of more', () => {
    expect(smallAnswerBudget(withBudget())).toBeNull();
    expect(smallAnswerBudget(withBudget(32 * MiB))).toBeNull();
    expect(smallAnswerBudget(withBudget(1024 * MiB))).toBeNull();
  });

  it('the config stays valid: a small budget is kept, not refused', () => {
    expect(withBudget(1 * MiB).limits.maxAnswerBytesHeld).toBe(1 * MiB);
  });
});
