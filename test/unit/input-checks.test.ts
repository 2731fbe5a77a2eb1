import { describe, expect, it } from 'vitest';
import { checkInteger, checkName, checkText } from '../../src/gateway/input-checks.js';

const badInput = (message: string) => expect.objectContaining({ code: 'BAD_USER_INPUT', message });

describe('input checks', () => {
  it('checkName trims, and takes up to 200 characters', () => {
    expect(checkName('  nightly  ', 'name')).toBe('nightly');
    expect(checkName('x'.repeat(200), 'name')).toBe('x'.repeat(200));
    expect(checkName(` ${'x'.repeat(200)} `, 'name')).toBe('x'.repeat(200));
  });

  it('checkName refuses empty, too long and control characters, naming the argument', () => {
    expect(() => checkName('   ', 'name')).toThrow(badInput('name must not be empty'));
    expect(() => checkName('', 'label')).toThrow(badInput('label must not be empty'));
    expect(() => checkName('x'.repeat(201), 'name')).toThrow(badInput('name must be at most 200 characters'));
    for (const bad of ['a\u0000b', 'a\nb', 'a\u001fb', 'a\u007fb', 'a\tb', 'a\u0080b', 'a\u009fb', 'gpj.\u202eexe', 'a\u202ab', 'a\u2066b', 'a\u2069b']) {
      expect(() => checkName(bad, 'name'), JSON.stringify(bad)).toThrow(badInput('name must not contain control characters'));
    }
    expect(checkName('a\u0020b ~', 'name')).toBe('a b ~');
    // Letters just past the controls, and right-to-left text itself, are names.
    expect(checkName('a\u00a0b\u00e9', 'name')).toBe('a\u00a0b\u00e9');
    expect(checkName('\u05d2\u05d9\u05d1\u05d5\u05d9 \u202fx\u2065\u206a', 'name')).toBe('\u05d2\u05d9\u05d1\u05d5\u05d9 \u202fx\u2065\u206a');
  });

  it('checkText passes null and undefined as null, and text (newlines too) as it is', () => {
    expect(checkText(null, 'note')).toBeNull();
    expect(checkText(undefined, 'note')).toBeNull();
    expect(checkText('', 'note')).toBe('');
    expect(checkText('line one\nline two\r\n\ttabbed ', 'note')).toBe('line one\nline two\r\n\ttabbed ');
    expect(checkText('x'.repeat(2000), 'note')).toHaveLength(2000);
  });

  it('checkText refuses more than 2,000 characters and control characters other than tab and newlines', () => {
    expect(() => checkText('x'.repeat(2001), 'note')).toThrow(badInput('note must be at most 2000 characters'));
    expect(checkText('\u202eright-to-left note\u00a0', 'note')).toBe('\u202eright-to-left note\u00a0');
    for (const bad of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\u007f', '\u0080', '\u009f']) {
      expect(() => checkText(`a${bad}b`, 'description')).toThrow(badInput('description must not contain control characters'));
    }
  });

  it('checkInteger takes whole numbers within the bounds, bounds included', () => {
    expect(checkInteger(1, 'retention', 1, 30)).toBe(1);
    expect(checkInteger(30, 'retention', 1, 30)).toBe(30);
    for (const bad of [0, 31, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkInteger(bad, 'retention', 1, 30)).toThrow(badInput('retention must be an integer from 1 to 30'));
    }
  });
});
