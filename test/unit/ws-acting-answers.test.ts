import { describe, expect, it } from 'vitest';
import { ActingAnswers } from '../../src/server/ws/acting-answers.js';

const message = (id: string, type: string, payload?: unknown) => JSON.stringify({ id, type, ...(payload === undefined ? {} : { payload }) });

describe('ActingAnswers: the messages of a WebSocket connection that answer a mutation', () => {
  it("knows a running mutation's next and then its complete, and forgets it once the complete is sent", () => {
    const acting = new ActingAnswers();
    acting.started('m"1', 'r1');
    expect(acting.answerOf(message('m"1', 'next', { data: {} }))).not.toBeNull();
    expect(acting.answerOf(message('m"1', 'complete'))).toBeNull();
    expect(acting.answerOf(message('other', 'next', { data: {} }))).toBeNull();
    acting.ended('m"1', true);
    expect(acting.answering).toBe(true);
    expect(acting.answerOf(message('m"1', 'complete'))).not.toBeNull();
    expect(acting.answering).toBe(false);
    expect(acting.answerOf(message('m"1', 'complete'))).toBeNull();
  });

  it('forgets a mutation whose client cancelled it (no complete will be sent), and knows no query', () => {
    const acting = new ActingAnswers();
    acting.started('m', 'r1');
    acting.ended('m', false);
    expect(acting.answerOf(message('m', 'complete'))).toBeNull();
    acting.ended('q', true);
    expect(acting.answerOf(message('q', 'complete'))).toBeNull();
  });
});

describe('ActingAnswers.owed: the mutations whose answer the client has not been handed', () => {
  it('holds a mutation from its start until its last message has reached the kernel, with its request id', () => {
    const acting = new ActingAnswers();
    acting.started('m', 'r1');
    expect(acting.owed()).toEqual([{ operationId: 'm', requestId: 'r1' }]);
    expect(acting.answerOf(message('m', 'next', { data: {} }))).toBe('m');
    acting.ended('m', true);
    expect(acting.answerOf(message('m', 'complete'))).toBe('m');
    // Both handed to ws, neither to the kernel yet.
    expect(acting.owes).toBe(true);
    acting.sent('m');
    expect(acting.owed()).toEqual([{ operationId: 'm', requestId: 'r1' }]);
    acting.sent('m');
    expect(acting.owes).toBe(false);
    expect(acting.owed()).toEqual([]);
  });

  it('owes nothing for a query, nor for a mutation its client cancelled once what was handed over has gone', () => {
    const acting = new ActingAnswers();
    expect(acting.answerOf(message('q', 'next', { data: {} }))).toBeNull();
    acting.started('m', 'r2');
    acting.ended('m', false);
    expect(acting.owes).toBe(false);
    acting.sent('unknown');
    expect(acting.owed()).toEqual([]);
  });
});
