import { describe, expect, it } from 'vitest';
import { readEscapes, sourceSpans } from '../../src/upstream/escape-reading.js';
import { EscapedSecretSearch, MAX_READINGS, readThrough } from '../../src/upstream/escaped-secrets.js';

describe('readEscapes (one reading)', () => {
  it('reads JSON string escapes, surrogate pairs and lone halves, and an escaped backslash as one (the "u0041" after it waits for the next reading)', () => {
    expect(readEscapes('\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\u00E9 \\ud83d\\ude00 \\ud800x \\\\u0041 \\x \\u12')).toBe('" \\ / \b\f\n\r\t éé \u{1F600} \ud800x \\u0041 \\x \\u12');
  });

  it('reads %XX escapes as UTF-8 in either hex case, keeps bytes that are no UTF-8 as written, and leaves "+" alone', () => {
    expect(readEscapes('%41%2a%2A%c3%a9%C3%A9%F0%9F%98%80 a+b %25%2541')).toBe('A**éé\u{1F600} a+b %%41');
    expect(readEscapes('%e9 %C3x%A9 %ff%41 %ED%A0%80 %C3%A9%e2%80 %4 %zz')).toBe('%e9 %C3x%A9 %ffA %ED%A0%80 é%e2%80 %4 %zz');
  });

  it('reads HTML references: decimal and hex with any digits, ";" or not, names as browsers do', () => {
    expect(readEscapes('&#34;&#00000034;&#34 &#x22;&#X0022&#x1F600; &#1114111; &#1114112; &#x110000;')).toBe('""" ""\u{1F600} \u{10FFFF} &#1114112; &#x110000;');
    expect(readEscapes('&quot;&QUOT;&quot &amp;&AMP &lt;&LT &gt;&GT &apos;&sol;&colon;&Tab;&NewLine;')).toBe('""" && << >> \'/:\t\n');
    expect(readEscapes('&apos &sol &Quot; &SOL; &nbsp; &# &#x; & ;')).toBe('&apos &sol &Quot; &SOL; &nbsp; &# &#x; & ;');
  });

  it('reads a stretch of escapes with a few other characters between them as each one alone', () => {
    const gaps = ['', 'a', 'a b-c ', 'x'.repeat(16), 'x'.repeat(17), '"', '&', '\n'];
    for (const gap of gaps) {
      expect(readEscapes(`%41${gap}%42`), JSON.stringify(gap)).toBe(`A${readEscapes(gap)}B`);
      expect(readEscapes(`\\u0041${gap}\\u0042`), JSON.stringify(gap)).toBe(`A${readEscapes(gap)}B`);
    }
    expect(readEscapes('%C3a%A9 %41%C3')).toBe('%C3a%A9 A%C3');
    // A lone byte past ASCII is no UTF-8; a three-byte sequence starting with E0 is, beside one that is not.
    expect(readEscapes('%80 %7f %e0%a4%85%ff')).toBe('%80 \x7f \u0905%ff');
    expect(readEscapes('%80')).toBe('%80');
    expect(readEscapes('%7F')).toBe('\x7f');
  });

  it("reads the escapes of Python's, JavaScript's and C's string literals: \\', \\xNN (UTF-8 bytes in a row as their character, else Latin-1), \\u{...}, octal", () => {
    expect(readEscapes("O\\'Brien \\x41\\x42 caf\\xc3\\xa9 caf\\xe9 \\u{1F600}\\u{41} \\047\\101\\7 \\xc3x")).toBe("O'Brien AB café café \u{1F600}A 'A\u0007 \u00c3x");
    // A backslash escaped in JSON stays one, and what follows it waits for the next reading.
    expect(readEscapes('\\\\x41 \\\\047 \\\\\'')).toBe("\\x41 \\047 \\'");
    expect(readEscapes('\\u{110000} \\u{41')).toBe('\\u{110000} \\u{41');
  });

  it('reads an answer made of escapes, longer than a stretch, at native speed, and hands back a text without escapes itself', () => {
    const many = '%2541'.repeat(100_000);
    expect(readEscapes(many)).toBe('%41'.repeat(100_000));
    expect(readEscapes('\\u0041'.repeat(100_000))).toBe('A'.repeat(100_000));
    expect(readEscapes("\\'".repeat(100_000))).toBe("'".repeat(100_000));
    expect(readEscapes('\\x41'.repeat(100_000))).toBe('A'.repeat(100_000));
    expect(readEscapes('\\xc3\\xa9\\101'.repeat(50_000))).toBe('\u00e9A'.repeat(50_000));
    const plain = 'no escapes here: 100% & \\ done';
    expect(readEscapes(plain)).toBe(plain);
  });
});

describe('readThrough', () => {
  it('reads again until nothing changes, at most MAX_READINGS times', () => {
    expect(MAX_READINGS).toBe(4);
    expect(readThrough('%2522')).toBe('"');
    expect(readThrough('%252525252522')).toBe('%2522');
    expect(readThrough('plain')).toBe('plain');
  });
});

describe('sourceSpans (where a part of a reading comes from)', () => {
  it('maps plain characters one to one and an escape a span begins or ends inside whole', () => {
    const source = 'ab%41cd&quot;\\ud83d\\ude00ef%C3%A9g';
    const read = readEscapes(source);
    expect(read).toBe('abAcd"\u{1F600}efég');
    expect(sourceSpans(source, [[0, 1]])).toEqual([[0, 1]]);
    expect(sourceSpans(source, [[1, 3]])).toEqual([[1, 5]]);
    expect(sourceSpans(source, [[2, 3], [4, 6]])).toEqual([[2, 5], [6, 13]]);
    // Half the pair is all of its escape; the pair's two halves are two escapes.
    expect(sourceSpans(source, [[6, 7]])).toEqual([[13, 19]]);
    expect(sourceSpans(source, [[7, 8]])).toEqual([[19, 25]]);
    expect(sourceSpans(source, [[9, 11]])).toEqual([[26, 33]]);
    expect(sourceSpans(source, [[11, 12]])).toEqual([[33, 34]]);
  });

  it('finds each escape of a stretch, and keeps bytes that are no UTF-8 as escapes of their own', () => {
    const source = 'x%41yz%42 %C3q%A9 %e2%82%ac!';
    expect(readEscapes(source)).toBe('xAyzB %C3q%A9 €!');
    expect(sourceSpans(source, [[1, 2], [3, 5], [6, 7], [11, 12], [14, 16]])).toEqual([[1, 4], [5, 9], [10, 13], [14, 17], [18, 28]]);
  });

  it('agrees with readEscapes on every character of a text full of escapes of every kind', () => {
    const source = "a%41\\u0042&#67;&quot;%C3%A9\\\\\\ud83d\\ude00&lt %e9 b\\/&#x1F600;%2541z\\'q\\x41\\xc3\\xa9\\xe9\\u{1F600}\\047\\\\x41";
    const read = readEscapes(source);
    for (let index = 0; index < read.length; index++) {
      const [[start, end]] = sourceSpans(source, [[index, index + 1]]) as [[number, number]];
      expect(readEscapes(source.slice(start, end)), `character ${index} of ${read}`).toContain(read[index]);
    }
    const [[start, end]] = sourceSpans(source, [[0, read.length]]) as [[number, number]];
    expect([start, end]).toEqual([0, source.length]);
  });
});

describe('EscapedSecretSearch.mayHide (which answers are read at all)', () => {
  const search = new EscapedSecretSearch(['Ev1l"Key/x', 'plain-secret-42']);

  it('spares an answer without escapes, and one whose escapes stand for punctuation and no form has its letters there', () => {
    for (const text of ['{"name":"web-1","note":"50% off & more \\\\ path"}', '{"url":"http:\\/\\/x\\/a%2Fb?c=%20","t":"Tom &quot;&lt;b&gt;","e":"caf\\u00e9"}']) expect(search.mayHide(text), text).toBe(false);
  });

  it('reads an answer that has a form\'s letters beside an escape', () => {
    expect(search.mayHide('Ev1l%22Key%2Fx')).toBe(true);
    expect(search.mayHide('Ev1l &quot;')).toBe(true);
    expect(search.mayHide('plain-secret-42 %22')).toBe(true);
    expect(search.mayHide('Ev1l')).toBe(false);
  });

  it('reads an answer with an escape that stands for a letter, digit, "-", ".", "_", or what starts an escape', () => {
    const escapes = ['%41', '%7a', '%2D', '%2e', '%5F', '%30', '%25', '%26', '%23', '%5c', '\\u0041', '\\u005C', '&#65;', '&#x41;', '&amp;', '&AMP', '&num;', '&percnt;', '&bsol;', '&period;', '&lowbar;', '&UnderBar;'];
    for (const escape of escapes) expect(search.mayHide(`x ${escape} y`), escape).toBe(true);
    for (const escape of ['\\x41', '\\x5c', '\\u{41}', '\\u{0030}', '\\101', '\\060', '\\67', '\\55']) expect(search.mayHide(`x ${escape} y`), escape).toBe(true);
    for (const escape of ['%22', '%2F', '%3a', '%7E', '%C3%A9', '\\u00e9', '\\u0022', '\\"', '\\/', '&quot;', '&sol;', '&lt;', '&Amp;', "\\'", '\\x27', '\\xc3\\xa9', '\\u{27}', '\\2024', '\\47']) expect(search.mayHide(`x ${escape} y`), escape).toBe(false);
  });

  it('reads every answer with an escape when a form has no letter or digit to look for', () => {
    const bare = new EscapedSecretSearch(['"/:?!"']);
    expect(bare.mayHide('x %22 y')).toBe(true);
    expect(bare.mayHide('x " y')).toBe(false);
    expect(new EscapedSecretSearch([]).find('%41')).toEqual([]);
  });
});
