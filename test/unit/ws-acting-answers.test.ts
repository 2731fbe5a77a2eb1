import { describe, expect, it } from 'vitest';
import { ActingAnswers } from '../../src/server/ws/acting-answers.js';

const message = (id: string, type: string, payload?: unknown) => JSON.stringify({ id, type, ...(payload === undefined ? {} : { payload }) });

describe('ActingAnswers: the messages of a WebSocket connection that answer a mutation', () => {
  it("knows a running mutation's next and then its complete, and forgets it once the complete is sent", () => {
    const acting = new ActingAnswers();
    acting.started('m"1');
    expect(acting.answers(message('m"1', 'next', { data: {} }))).toBe(true);
    expect(acting.answers(message('m"1', 'complete'))).toBe(false);
    expect(acting.answers(message('other', 'next', { data: {} }))).toBe(false);
    acting.ended('m"1', true);
    expect(acting.answering).toBe(true);
    expect(acting.answers(message('m"1', 'complete'))).toBe(true);
    expect(acting.answering).toBe(false);
    expect(acting.answers(message('m"1', 'complete'))).toBe(false);
  });

  it('forgets a mutation whose client cancelled it (no complete will be sent), and knows no query', () => {
    const acting = new ActingAnswers();
    acting.started('m');
    acting.ended('m', false);
    expect(acting.answers(message('m', 'complete'))).toBe(false);
    acting.ended('q', true);
    expect(acting.answers(message('q', 'complete'))).toBe(false);
  });
});
