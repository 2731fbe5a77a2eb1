import { describe, expect, it } from 'vitest';
import { transactionState } from '../../src/providers/onapp/transaction-status.js';

describe('transactionState: what an OnApp transaction\'s status word says of its work', () => {
  it('reads the words in any case and with spaces around them, cancelled in both spellings', () => {
    const read = Object.fromEntries(['complete', 'Complete', ' COMPLETE ', 'failed', 'Failed', 'cancelled', 'canceled', 'Canceled', 'pending', 'running', 'Running\n'].map((word) => [word, transactionState(word)]));
    expect(read).toEqual({
      complete: 'SUCCEEDED',
      Complete: 'SUCCEEDED',
      ' COMPLETE ': 'SUCCEEDED',
      failed: 'FAILED',
      Failed: 'FAILED',
      cancelled: 'FAILED',
      canceled: 'FAILED',
      Canceled: 'FAILED',
      pending: 'RUNNING',
      running: 'RUNNING',
      'Running\n': 'RUNNING',
    });
  });

  it('reads any other word, and a status that is no text, as UNKNOWN', () => {
    for (const status of ['', 'completed', 'done', 'Stryker was here', 'complete failed', undefined, null, 1, ['complete'], { status: 'complete' }]) {
      expect([status, transactionState(status)]).toEqual([status, 'UNKNOWN']);
    }
  });
});
