import { describe, expect, it } from 'vitest';
import { isPlainWord } from '../../src/config/usable-id.js';

/** What a config problem may quote: a plain word, never what random text (a key, a token) looks like. */
const SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';

describe('isPlainWord', () => {
  it('takes names, setting keys and variable names, with their usual typos', () => {
    for (const word of ['ops', 'maxDepth', 'max_depth', 'timeoutMS', 'backupStorageUUID', 'maxUnsentAnswerBytesPerAddress', 'ci-runner@example.com', 'DASHBOARD_KEY', 'ZOMRO_TOKEN_2', 'node2', 'haproxy', 'gateway.example.com', '4000']) {
      expect(isPlainWord(word), word).toBe(true);
    }
  });

  it('refuses what random text looks like', () => {
    for (const text of [SECRET, 'Zq8sEcReTpAsTe9', 'hGkQpLzXwRtYb', '3f9a1c77', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOiJIUzI1NiJ9', 'k1-abcdefghijklmnopqrstuvwxyz', 'has space', '', 'a'.repeat(41), 'x/y', '123456789']) {
      expect(isPlainWord(text), text).toBe(false);
    }
  });
});
