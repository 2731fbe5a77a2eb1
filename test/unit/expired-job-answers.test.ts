import { describe, expect, it } from 'vitest';
import { ExpiredJobAnswers } from '../../src/providers/zstack/expired-job-answers.js';

describe('ExpiredJobAnswers: the last 404 verdict of each job poll', () => {
  it('hands a verdict back and keeps the last one heard for the job', () => {
    const answers = new ExpiredJobAnswers();
    expect(answers.said('a')).toBe(false);
    expect(answers.heard('a', true)).toBe(true);
    expect(answers.said('a')).toBe(true);
    expect(answers.heard('a', false)).toBe(false);
    expect(answers.said('a')).toBe(false);
  });

  it('keeps at most its bound, the least recently heard dropped first', () => {
    const answers = new ExpiredJobAnswers(2);
    answers.heard('a', true);
    answers.heard('b', true);
    answers.heard('a', true);
    answers.heard('c', true);
    expect([answers.said('a'), answers.said('b'), answers.said('c')]).toEqual([true, false, true]);
  });
});
