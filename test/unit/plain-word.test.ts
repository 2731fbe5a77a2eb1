import { readFileSync } from 'node:fs';
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

  it("takes every setting's name in the annotated example, as written and Capitalised (a setting in the wrong section was hidden as no setting's form)", () => {
    const example = readFileSync('backup-graph.example.yaml', 'utf8');
    const keys = new Set([...example.matchAll(/^\s*#?\s*-?\s*([A-Za-z][A-Za-z0-9_]*):/gm)].map((match) => match[1]!));
    expect(keys.size).toBeGreaterThan(50);
    for (const key of keys) {
      expect(isPlainWord(key), key).toBe(true);
      expect(isPlainWord(`${key[0]!.toUpperCase()}${key.slice(1)}`), key).toBe(true);
    }
    for (const word of ['backupGiveUpMs', 'breakerHalfOpenAfterMs', 'MaxPageSize', 'isUp']) expect(isPlainWord(word), word).toBe(true);
  });

  it('refuses random letters that alternate case as camelCase of one- and two-letter words', () => {
    for (const text of ['hGkQpLzXw', 'yKdmWqpzNrTbLsx', 'aBcDeFgHiJ', 'xYzAbCdEfGh']) expect(isPlainWord(text), text).toBe(false);
  });

  it('refuses what random text looks like', () => {
    for (const text of [SECRET, 'Zq8sEcReTpAsTe9', 'hGkQpLzXwRtYb', '3f9a1c77', 'AKIAIOSFODNN7EXAMPLE', 'eyJhbGciOiJIUzI1NiJ9', 'k1-abcdefghijklmnopqrstuvwxyz', 'has space', '', 'a'.repeat(41), 'x/y', '123456789']) {
      expect(isPlainWord(text), text).toBe(false);
    }
  });
});
