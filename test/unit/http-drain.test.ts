import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpDrain } from '../../src/server/http-drain.js';

/** A response as the drain sees it: something that closes once. */
const response = (): Response & EventEmitter => new EventEmitter() as Response & EventEmitter;
const deliveredOnly = (...delivered: Response[]) => ({ delivered: (res: ServerResponse) => delivered.includes(res as Response) });

describe('HttpDrain', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is not draining until it begins, and counts what is left from the first begin, less the close-frame margin', () => {
    const drain = new HttpDrain(10_000);
    expect(drain.draining).toBe(false);
    expect(drain.leftMs()).toBe(9_750);
    drain.begin();
    expect(drain.draining).toBe(true);
    vi.advanceTimersByTime(4_000);
    // A second begin (close() after the signal's beginDrain) does not restart the clock.
    drain.begin();
    expect(drain.leftMs()).toBe(5_750);
    vi.advanceTimersByTime(60_000);
    expect(drain.leftMs()).toBe(0);
  });

  it("counts as cut the requests still open just before Apollo's grace ends that were not delivered", () => {
    const drain = new HttpDrain(10_000);
    const [finishedEarly, delivered, cut, startedLate] = [response(), response(), response(), response()];
    for (const res of [finishedEarly, delivered, cut]) drain.track(res);
    drain.begin();
    finishedEarly.emit('close');
    expect(drain.graceForApollo()).toBe(9_750);
    // The note comes 100 ms before the grace ends: what is open then.
    vi.advanceTimersByTime(9_640);
    drain.track(startedLate);
    vi.advanceTimersByTime(20);
    const afterNote = response();
    drain.track(afterNote);
    expect(drain.requestsCut(deliveredOnly(delivered))).toBe(2);
  });

  it('notes at once when the grace is within the lead, and never counts a request twice', () => {
    const drain = new HttpDrain(300);
    const open = response();
    drain.track(open);
    drain.track(open);
    drain.begin();
    expect(drain.graceForApollo()).toBe(50);
    expect(drain.requestsCut(deliveredOnly())).toBe(1);
    open.emit('close');
    expect(drain.requestsCut(deliveredOnly())).toBe(1);
  });

  it('notes at once when the grace is exactly the lead', () => {
    const drain = new HttpDrain(350);
    drain.track(response());
    drain.begin();
    expect(drain.graceForApollo()).toBe(100);
    expect(drain.requestsCut(deliveredOnly())).toBe(1);
  });

  it('forgets a request once its connection closes', () => {
    const drain = new HttpDrain(1_000);
    const closed = response();
    drain.track(closed);
    closed.emit('close');
    drain.begin();
    drain.graceForApollo();
    expect(drain.requestsCut(deliveredOnly())).toBe(0);
  });
});
