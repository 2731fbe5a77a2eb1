import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { AnswerBytesBudget, type AnswerHold } from '../../src/upstream/answer-bytes.js';

/** A hold's pause: how often its reader was told to go on. */
function pauseOf(hold: AnswerHold): { resumed: () => number } {
  let resumed = 0;
  hold.whenRoom(() => {
    resumed += 1;
  });
  return { resumed: () => resumed };
}

describe('AnswerBytesBudget: upstream answer bytes held while read, every account together', () => {
  it('counts the bytes taken and gives them back on close, keeping the peak', () => {
    const budget = new AnswerBytesBudget(100);
    const first = budget.open('one');
    const second = budget.open('one');
    expect(first.take(30)).toBe(true);
    expect(first.take(20)).toBe(true);
    expect(second.take(40)).toBe(true);
    expect([budget.held, budget.peak]).toEqual([90, 90]);
    first.close();
    expect([budget.held, budget.peak]).toEqual([40, 90]);
    second.take(5);
    expect([budget.held, budget.peak]).toEqual([45, 90]);
    second.close();
    expect([budget.held, budget.peak, budget.paused]).toEqual([0, 90, 0]);
  });

  it('lets a later reader read up to the limit exactly, and pauses it one byte past', () => {
    const budget = new AnswerBytesBudget(100);
    const oldest = budget.open('one');
    const later = budget.open('one');
    oldest.take(60);
    expect(later.take(40)).toBe(true);
    expect(later.take(1)).toBe(false);
    expect(budget.held).toBe(101);
  });

  it('never pauses the oldest reader, however far past the limit it goes', () => {
    const budget = new AnswerBytesBudget(100);
    const oldest = budget.open('one');
    const later = budget.open('one');
    later.take(90);
    expect(oldest.take(500)).toBe(true);
    expect(later.take(1)).toBe(false);
    expect(budget.peak).toBe(591);
  });

  it("lets each account's oldest reader go on while another account holds the budget, and pauses only its later ones", () => {
    const budget = new AnswerBytesBudget(100);
    const stalling = budget.open('a');
    stalling.take(150);
    const other = budget.open('b');
    const otherLater = budget.open('b');
    expect(other.take(10)).toBe(true);
    expect(otherLater.take(1)).toBe(false);
    const pause = pauseOf(otherLater);
    expect(budget.paused).toBe(1);
    // Its account's oldest done with: it goes on, though the other account still holds the budget.
    other.close();
    expect([pause.resumed(), budget.paused]).toEqual([1, 0]);
  });

  it('resumes a paused reader once it has become the oldest, even with the budget still spent', () => {
    const budget = new AnswerBytesBudget(100);
    const oldest = budget.open('one');
    const later = budget.open('one');
    oldest.take(50);
    expect(later.take(200)).toBe(false);
    const pause = pauseOf(later);
    expect(budget.paused).toBe(1);
    oldest.close();
    expect(budget.held).toBe(200);
    expect(pause.resumed()).toBe(1);
    expect(budget.paused).toBe(0);
    // The oldest now, it reads on.
    expect(later.take(10)).toBe(true);
  });

  it('resumes the readers after the oldest only when the bytes held are back within the limit', () => {
    const budget = new AnswerBytesBudget(100);
    const a = budget.open('one');
    const b = budget.open('one');
    const c = budget.open('one');
    a.take(60);
    expect(b.take(45)).toBe(false);
    expect(c.take(10)).toBe(false);
    const pausedB = pauseOf(b);
    const pausedC = pauseOf(c);
    expect(budget.paused).toBe(2);
    a.close();
    // b is the oldest now and goes on; 55 held is within 100, so c goes on too.
    expect([pausedB.resumed(), pausedC.resumed(), budget.paused]).toEqual([1, 1, 0]);
  });

  it('keeps a reader past the oldest paused while the bytes held are over the limit, and resumes it at exactly the limit', () => {
    const budget = new AnswerBytesBudget(100);
    const a = budget.open('one');
    const b = budget.open('one');
    const c = budget.open('one');
    const x = budget.open('one');
    a.take(10);
    expect(x.take(1)).toBe(true);
    expect(b.take(94)).toBe(false);
    expect(c.take(6)).toBe(false);
    const pausedB = pauseOf(b);
    const pausedC = pauseOf(c);
    a.close();
    // 101 held: b, now the oldest, goes on; c waits.
    expect([pausedB.resumed(), pausedC.resumed(), budget.paused]).toEqual([1, 0, 1]);
    const d = budget.open('one');
    expect(d.take(0)).toBe(false);
    const pausedD = pauseOf(d);
    expect(budget.paused).toBe(2);
    // Closing d releases nothing, yet wakes the readers: still 101 held, c waits (d is gone).
    d.close();
    expect([pausedC.resumed(), pausedD.resumed(), budget.paused]).toEqual([0, 0, 1]);
    // 100 held: the limit exactly, room for c.
    x.close();
    expect([pausedC.resumed(), budget.paused, budget.held]).toEqual([1, 0, 100]);
  });

  it('resumes a paused reader once only, with the first callback it was given', () => {
    const budget = new AnswerBytesBudget(10);
    const oldest = budget.open('one');
    const later = budget.open('one');
    oldest.take(10);
    later.take(1);
    const calls: string[] = [];
    later.whenRoom(() => calls.push('first'));
    later.whenRoom(() => calls.push('second'));
    expect(budget.paused).toBe(1);
    oldest.close();
    later.close();
    expect(calls).toEqual(['first']);
    expect(budget.paused).toBe(0);
  });

  it('does not pause a reader whose hold is closed, and a paused reader closed is no longer counted nor resumed', () => {
    const budget = new AnswerBytesBudget(10);
    const oldest = budget.open('one');
    const closedFirst = budget.open('one');
    const closedPaused = budget.open('one');
    oldest.take(20);
    closedFirst.close();
    const neverPaused = pauseOf(closedFirst);
    expect(budget.paused).toBe(0);
    closedPaused.take(1);
    const pausedThenClosed = pauseOf(closedPaused);
    expect(budget.paused).toBe(1);
    closedPaused.close();
    expect(budget.paused).toBe(0);
    oldest.close();
    expect([neverPaused.resumed(), pausedThenClosed.resumed()]).toEqual([0, 0]);
    expect(budget.held).toBe(0);
  });

  it('gives the bytes back once, however often a hold is closed', () => {
    const budget = new AnswerBytesBudget(100);
    const a = budget.open('one');
    const b = budget.open('one');
    a.take(30);
    b.take(20);
    a.close();
    a.close();
    expect(budget.held).toBe(20);
    b.close();
    expect(budget.held).toBe(0);
  });

  it('closing the oldest twice leaves the next reader the oldest', () => {
    const budget = new AnswerBytesBudget(10);
    const a = budget.open('one');
    const b = budget.open('one');
    const c = budget.open('one');
    a.close();
    a.close();
    // b is the oldest: it reads on past the limit; c, behind it, does not.
    expect(b.take(50)).toBe(true);
    expect(c.take(1)).toBe(false);
  });

  it('keeps the readers in the order they started when one in the middle or at the end closes', () => {
    const budget = new AnswerBytesBudget(10);
    const a = budget.open('one');
    const b = budget.open('one');
    const c = budget.open('one');
    b.close();
    a.close();
    // c is the oldest now.
    expect(c.take(50)).toBe(true);
    const d = budget.open('one');
    expect(d.take(1)).toBe(false);
    d.close();
    const e = budget.open('one');
    c.close();
    // With d (the newest) closed before, e follows c: the oldest once c is done.
    expect(e.take(50)).toBe(true);
    const f = budget.open('one');
    expect(f.take(1)).toBe(false);
    e.close();
    expect(f.take(1)).toBe(true);
  });

  it('makes a reader opened into an emptied budget the oldest', () => {
    const budget = new AnswerBytesBudget(10);
    const a = budget.open('one');
    a.close();
    const b = budget.open('one');
    expect(b.take(50)).toBe(true);
    const c = budget.open('one');
    expect(c.take(1)).toBe(false);
  });

  it('holds 128 MiB by default (limits.maxAnswerBytesHeld, docs/configuration.md)', () => {
    const config = validateConfig({ allowAnonymous: true, providers: [{ id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 't0ken' } }] });
    expect(config.limits.maxAnswerBytesHeld).toBe(128 * 1024 * 1024);
  });
});
