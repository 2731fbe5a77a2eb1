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
    for (const [bad, named] of [['a\u0000b', 'U+0000'], ['a\nb', 'U+000A'], ['a\u001fb', 'U+001F'], ['a\u007fb', 'U+007F'], ['a\tb', 'U+0009'], ['a\u0080b', 'U+0080'], ['a\u009fb', 'U+009F'], ['gpj.\u202eexe', 'U+202E'], ['a\u202ab', 'U+202A'], ['a\u2066b', 'U+2066'], ['a\u2069b', 'U+2069']]) {
      expect(() => checkName(bad!, 'name'), JSON.stringify(bad)).toThrow(badInput(`name must not contain ${named}: control, invisible and bidirectional characters are refused in names`));
    }
    expect(checkName('a\u0020b ~', 'name')).toBe('a b ~');
    // Letters just past the controls, and right-to-left text itself, are names.
    expect(checkName('a\u00a0b\u00e9', 'name')).toBe('a\u00a0b\u00e9');
    expect(checkName('\u05d2\u05d9\u05d1\u05d5\u05d9 \u202fx\u2065', 'name')).toBe('\u05d2\u05d9\u05d1\u05d5\u05d9 \u202fx\u2065');
  });

  it('checkName refuses invisible characters, bidirectional marks and line separators, naming the first one found (look-alike names, Trojan Source)', () => {
    const refused = ['\u200b', '\u2028', '\u2029', '\ufeff', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u00ad', '\u2060', '\u2064'];
    for (const character of refused) {
      const named = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(() => checkName(`night${character}ly`, 'definitionName'), named).toThrow(badInput(`definitionName must not contain ${named}: control, invisible and bidirectional characters are refused in names`));
    }
    expect(() => checkName('a\u200bb\u202ec', 'name')).toThrow(badInput('name must not contain U+200B: control, invisible and bidirectional characters are refused in names'));
    // The joiners stay: Persian (ZWNJ) and emoji sequences (ZWJ) need them.
    expect(checkName('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', 'name')).toBe('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645');
    expect(checkName('family \u{1f468}\u200d\u{1f469}\u200d\u{1f467}', 'name')).toBe('family \u{1f468}\u200d\u{1f469}\u200d\u{1f467}');
  });

  it('checkName refuses the other invisible characters too: every format character but the joiners, tags (ASCII smuggling), blank Hangul fillers, the grapheme joiner', () => {
    const refused: Array<[string, string]> = [
      ['\u206a', 'U+206A'],
      ['\u206f', 'U+206F'],
      ['\u180e', 'U+180E'],
      ['\ufff9', 'U+FFF9'],
      ['\u034f', 'U+034F'],
      ['\u3164', 'U+3164'],
      ['\uffa0', 'U+FFA0'],
      ['\u115f', 'U+115F'],
      ['\u1160', 'U+1160'],
      ['\u{e0001}', 'U+E0001'],
      // "web1" followed by "rm" written in tag characters: it reads "web1".
      ['\u{e0072}\u{e006d}', 'U+E0072'],
      ['\u{1d173}', 'U+1D173'],
    ];
    for (const [character, named] of refused) {
      expect(() => checkName(`web1${character}`, 'name'), named).toThrow(badInput(`name must not contain ${named}: control, invisible and bidirectional characters are refused in names`));
    }
    // A black flag's tags are refused unless they spell one of the three subdivision flags emoji have.
    expect(() => checkName('web1 \u{1f3f4}\u{e0072}\u{e006d}\u{e007f}', 'name')).toThrow(badInput('name must not contain U+E0072: control, invisible and bidirectional characters are refused in names'));
    const flags = ['\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}', '\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', '\u{1f3f4}\u{e0067}\u{e0062}\u{e0077}\u{e006c}\u{e0073}\u{e007f}'];
    for (const flag of flags) expect(checkName(`london ${flag}`, 'name')).toBe(`london ${flag}`);
    // Emoji presentation (U+FE0F) and a Korean name are names.
    expect(checkName('\u2764\ufe0f \ud55c\uad6d\uc5b4', 'name')).toBe('\u2764\ufe0f \ud55c\uad6d\uc5b4');
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
      const named = `U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(() => checkText(`a${bad}b`, 'description')).toThrow(badInput(`description must not contain control characters (${named})`));
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
