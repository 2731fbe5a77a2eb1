import { describe, expect, it } from 'vitest';
import { entryKeyAtTop } from '../../src/config/entry-keys-at-top.js';
import { shownEnvSetting } from '../../src/config/env-value-shown.js';
import { NOT_DIGITS_WORDS, textWhereNumberGoes } from '../../src/config/text-where-number-goes.js';

/**
 * Three config helpers added on 2026-12-06 and 07 asked directly, at their edges (mutation testing,
 * 2026-12-07): a client's or an account's key at the top level, an environment value quoted or not,
 * and text written where a number or a boolean goes.
 */
describe('entryKeyAtTop', () => {
  it('names the entry a key at the top level belongs to', () => {
    for (const key of ['name', 'key', 'roles']) expect(entryKeyAtTop(key), key).toBe(`unknown key at the top level; ${key} is a key of each client entry: indent it as the entry's other keys (under its "- ")`);
    for (const key of ['id', 'url', 'timezone', 'timeoutMs', 'retries', 'maxConcurrency', 'cacheTtlMs', 'coalesceReads', 'kind', 'auth']) {
      expect(entryKeyAtTop(key), key).toBe(`unknown key at the top level; ${key} is a key of each provider entry: indent it as the entry's other keys (under its "- ")`);
    }
  });

  it('names nothing for a key of no entry', () => {
    for (const key of ['listen', 'clients', 'Name', '', 'token']) expect(entryKeyAtTop(key), key).toBeUndefined();
  });
});

describe('shownEnvSetting', () => {
  it('quotes numbers (with a unit, a sign, a fraction, an exponent, hex), words and lists of them', () => {
    // A sign keeps a number from passing as a word (`-1.25` is no plain word): the number's own form must take it.
    for (const value of ['8080', '-1', '+2.5', '.5', '30s', '1.5e3ms', '2E-3', '0x1F', 'info', 'Info', 'json', '1, 2,3', 'a.example.com', '-1.25', '-.25', '-1e+3', '-1e10', '2, -1', '8080, info']) {
      expect(shownEnvSetting('X', value), value).toBe(`X=${value}`);
    }
  });

  it('quotes a value of 40 characters, not 41', () => {
    const forty = Array.from({ length: 20 }, () => '1').join(',');
    expect(forty.length).toBe(39);
    expect(shownEnvSetting('X', `${forty}0`)).toBe(`X=${forty}0`);
    expect(shownEnvSetting('X', `${forty},1`)).toBe('X (not quoted: 41 characters, not of a number\'s or a word\'s form; it may be a secret set in the wrong variable)');
  });

  it('does not quote what may be a secret, nor an empty or blank value, saying only its length', () => {
    const notQuoted = (length: number): string => `X (not quoted: ${length} characters, not of a number's or a word's form; it may be a secret set in the wrong variable)`;
    expect(shownEnvSetting('X', 'Dnb7Kq8Rw2Zx')).toBe(notQuoted(12));
    expect(shownEnvSetting('X', '')).toBe(notQuoted(0));
    expect(shownEnvSetting('X', '   ')).toBe(notQuoted(3));
    expect(shownEnvSetting('X', '8080, Dnb7Kq8Rw2Zx')).toBe(notQuoted(18));
    expect(shownEnvSetting('X', '1234567890123')).toBe(notQuoted(13));
  });
});

describe('textWhereNumberGoes', () => {
  it('asks for digits where the text is no number', () => {
    for (const written of ['two', '1,000', '1 000', '', '0x10']) expect(textWhereNumberGoes('number', ['limits', 'maxDepth'], written), written).toBe(NOT_DIGITS_WORDS);
    expect(NOT_DIGITS_WORDS).toBe('must be a number written in digits alone (2, not two; 1000, not 1,000 or 1 000)');
  });

  it('asks for true or false where the text is no boolean', () => {
    for (const written of ['yes', 'on', '1', '', 'not true', 'trueish']) expect(textWhereNumberGoes('boolean', ['allowAnonymous'], written), written).toBe('must be true or false');
  });

  it('asks for the value without quotes where the text is one, a port\'s words its own', () => {
    for (const written of ['2', ' -1.5e3 ', '.5', '.25', '3.', '1e+3', '1e10']) expect(textWhereNumberGoes('number', ['limits', 'maxDepth'], written), written).toBe('must be a number, written without quotes (a ${NAME} always gives a string)');
    expect(textWhereNumberGoes('boolean', ['allowAnonymous'], ' TRUE ')).toBe('must be a boolean, written without quotes (a ${NAME} always gives a string)');
    for (const path of [['listen', 'port'], ['admin', 'port']]) {
      expect(textWhereNumberGoes('number', path, '8080'), path.join('.')).toBe('must be a number, written without quotes, or one ${NAME} and nothing else (read as the port)');
    }
    expect(textWhereNumberGoes('number', ['redis', 'port'], '8080')).toBe('must be a number, written without quotes (a ${NAME} always gives a string)');
  });
});
