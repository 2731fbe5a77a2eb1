import { describe, expect, it } from 'vitest';
import { quotedWord } from '../../src/providers/zomro/quoted-word.js';

describe('zomro quotedWord: a provider word in a message', () => {
  it('quotes a short plain token as it is', () => {
    expect(quotedWord('Saving')).toBe('"Saving"');
    expect(quotedWord('pending_delete')).toBe('"pending_delete"');
  });

  it('quotes no empty, long, spaced or control-character word', () => {
    for (const word of ['', 'x'.repeat(500), 'two words', 'Saving\u0007', 'Saving\u202e']) expect(quotedWord(word), JSON.stringify(word)).toBe('a word that is no plain status');
  });
});
