import { describe, expect, it } from 'vitest';
import { shortAnswerDeadlineWarning } from '../../src/config/short-answer-deadline.js';
import { STRAY_BYTE_ORDER_MARK } from '../../src/config/stray-byte-order-mark.js';
import { DANUBE_INSTANCE_LIST } from '../../src/providers/danube/own-not-found.js';
import { ONAPP_INSTANCE_LIST } from '../../src/providers/onapp/error-body.js';

/**
 * What these modules tell people, asked directly (mutation testing, 2026-12-07: each text emptied, or
 * the warning answered as undefined, passed every unit test). The operation names are the metric
 * labels and log words a dashboard or a search reads.
 */
describe('words of the modules added on 2026-12-06 and 07', () => {
  it('warns of a short answer deadline with the account, its settings and the deadline to raise it to', () => {
    const warning = shortAnswerDeadlineWarning({ provider: 'slow-panel', timeoutMs: 60_000, retries: 3, maxConcurrency: 4, deadlineMs: 30_000, leastMs: 245_000 });
    expect(warning).toBe(
      'limits.answerDeadlineMs (30000) is below the longest a healthy request to account slow-panel may take at its upstream settings ' +
        '(timeoutMs 60000, retries 3, maxConcurrency 4, limits.maxBulkInstances; src/upstream/longest-read.ts): ' +
        "a request its provider is merely slow to answer is answered 504 INTERNAL_SERVER_ERROR as work the gateway lost; raise limits.answerDeadlineMs to 245000 or more, or lower the account's timeoutMs or retries",
    );
  });

  it('names a stray byte-order mark and what to do about it', () => {
    expect(STRAY_BYTE_ORDER_MARK).toMatch(/^a byte-order mark \(U\+FEFF, invisible in editors\) begins this line: /);
    expect(STRAY_BYTE_ORDER_MARK).toContain('save each part as UTF-8 without BOM');
  });

  it('names the instance-list reads as the metrics and logs have them', () => {
    expect(DANUBE_INSTANCE_LIST).toBe('vm.list');
    expect(ONAPP_INSTANCE_LIST).toBe('virtual_machines.list');
  });
});
