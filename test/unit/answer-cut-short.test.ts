import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { AnswerCutShortError } from '../../src/upstream/answer-cut-short.js';
import { classifyTransportError } from '../../src/upstream/failure-class.js';

/**
 * An answer the provider cut short after its headers: its own error keeps undici's as its cause,
 * so the failure class read through it, and with it the retries, the breaker and the health
 * (Provider.healthCause UNREACHABLE), stay those of the reset it is.
 */
describe('AnswerCutShortError: undici\'s error kept behind it', () => {
  it('keeps undici\'s socket error as its cause, read as a reset through it', () => {
    const reset = new errors.SocketError('other side closed');
    const cut = new AnswerCutShortError(reset);
    expect(cut.cause).toBe(reset);
    expect(classifyTransportError(reset)).toBe('reset');
    expect(classifyTransportError(cut)).toBe('reset');
  });

  it('says what happened in its message and name, for the log (guard)', () => {
    const cut = new AnswerCutShortError(new Error('terminated'));
    expect(cut).toBeInstanceOf(Error);
    expect(cut.name).toBe('AnswerCutShortError');
    expect(cut.message).toBe('the provider closed the connection before its answer was whole');
  });
});
