import { describe, expect, it } from 'vitest';
import { CloseAfterMutations } from '../../src/server/ws/close-after-mutations.js';

describe("CloseAfterMutations: a WebSocket close held back for a running mutation's answer", () => {
  it('closes at once when no mutation has an answer to send', () => {
    const closes: string[] = [];
    const closing = new CloseAfterMutations(() => false);
    closing.request(() => closes.push('cap'));
    expect(closes).toEqual(['cap']);
    expect(closing.waits).toBe(false);
  });

  it('waits while a mutation has an answer to send, keeps only the first close asked for, and closes once the last answer is out', () => {
    let answering = 2;
    const closes: string[] = [];
    const closing = new CloseAfterMutations(() => answering > 0);
    closing.request(() => closes.push('cap'));
    closing.request(() => closes.push('address'));
    expect(closing.waits).toBe(true);
    answering -= 1;
    closing.settle();
    expect(closes).toEqual([]);
    answering -= 1;
    closing.settle();
    expect(closes).toEqual(['cap']);
    expect(closing.waits).toBe(false);
    closing.settle();
    expect(closes).toEqual(['cap']);
  });
});
