import { describe, expect, it } from 'vitest';
import { closestKey, distance, unknownKeyMessage } from '../../src/config/did-you-mean.js';

describe('distance (one edit: insert, delete or substitute a character)', () => {
  it('counts the edits from one text to the other, either way round', () => {
    expect(distance('', '')).toBe(0);
    expect(distance('abc', 'abc')).toBe(0);
    expect(distance('', 'abc')).toBe(3);
    expect(distance('abc', '')).toBe(3);
    expect(distance('kitten', 'sitting')).toBe(3);
    expect(distance('sitting', 'kitten')).toBe(3);
    expect(distance('timeout', 'timeoutms')).toBe(2);
    expect(distance('abcd', 'acbd')).toBe(2);
    expect(distance('flaw', 'lawn')).toBe(2);
  });
});

describe('closestKey', () => {
  const known = ['timeoutMs', 'cacheTtlMs', 'baseUrl', 'allowAnonymous'];

  it('names the key that differs only in case, even when another is as near', () => {
    expect(closestKey('BASEURL', known)).toBe('baseUrl');
    expect(closestKey('ab', ['AB', 'ac'])).toBe('AB');
  });

  it('names the nearest key within a third of the unknown key\'s length (at least two edits), ignoring case', () => {
    expect(closestKey('allowAnonymus', known)).toBe('allowAnonymous');
    expect(closestKey('timeout', known)).toBe('timeoutMs');
    // Two edits are always close enough, even in a short key; three are not for one under nine characters.
    expect(closestKey('bsUl', ['baseUrl'])).toBeNull();
    expect(closestKey('bseUl', ['baseUrl'])).toBe('baseUrl');
    // Nine characters allow three edits; twelve, four.
    expect(closestKey('timeXXXMs', ['timeoutMs'])).toBe('timeoutMs');
    expect(closestKey('tiXXXXtMs', ['timeoutMs'])).toBeNull();
    expect(closestKey('abcdefghijkl', ['abcdefghXXXX'])).toBe('abcdefghXXXX');
    expect(closestKey('abcdefghijkl', ['abcdefgXXXXX'])).toBeNull();
  });

  it('of two keys within reach, the nearer; of two as near, the first listed', () => {
    expect(closestKey('abcdef', ['abXXef', 'abcdXf'])).toBe('abcdXf');
    expect(closestKey('abcdef', ['abcdXf', 'abXXef'])).toBe('abcdXf');
    expect(closestKey('abcdef', ['abcdeX', 'abcdXf'])).toBe('abcdeX');
  });

  it('names none when no key is near, or there are none', () => {
    expect(closestKey('port', known)).toBeNull();
    expect(closestKey('anything', [])).toBeNull();
  });
});

describe('unknownKeyMessage', () => {
  it('suggests the nearest key, else lists the keys allowed there, else says only that the key is unknown', () => {
    expect(unknownKeyMessage('timeoutMS', ['timeoutMs', 'baseUrl'])).toBe('unknown key; did you mean "timeoutMs"?');
    expect(unknownKeyMessage('port', ['timeoutMs', 'baseUrl'])).toBe('unknown key; allowed here: timeoutMs, baseUrl');
    expect(unknownKeyMessage('port', [])).toBe('unknown key');
  });
});
