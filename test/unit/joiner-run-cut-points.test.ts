import { describe, expect, it } from 'vitest';
import { mayStandInJoinerRun } from '../../src/upstream/escaped-joiners.js';
import { piecesOf, separatorsBeside } from '../../src/upstream/scrub-pieces.js';

/**
 * The cut points of a large answer (scrub-pieces.ts) tested alone. A cut just after a separator
 * that stands in a run of joiners the reading of escaped joiners joins (`Dnb7Kq8,\u002dRw2Zx4L`)
 * leaves neither piece holding the run with a letter on both sides of it: each piece's search
 * finds only 7 characters of the password beside the cut, and both halves go out. Each row is
 * such a shape (the separator may not be cut after) or one a large answer is cut at as before
 * (`<vm><id>`, `},{"`, `"a":1`): refusing those would scrub a long list whole, in one turn.
 */
type Row = [shape: string, before: string, separator: string, after: string, mayStand: boolean, stretchAfter: number];

const PASSWORD_START = 'key Dnb7Kq8';
const PASSWORD_END = 'Rw2Zx4LmTpQ';

const ROWS: Row[] = [
  // An escape of a joiner just after the separator, or past joiners and spaces: the marker ends the stretch.
  ['an escape of a joiner just after (,\\u002d)', PASSWORD_START, ',', `\\u002d${PASSWORD_END}`, true, 0],
  ['joiners, then an escape of one (,-,-\\u002d)', PASSWORD_START, ',', `-,-\\u002d${PASSWORD_END}`, true, 3],
  ['joiners and spaces, then a percent escape (, - %2D)', PASSWORD_START, ',', ` - %2D${PASSWORD_END}`, true, 3],
  ["JSON's escaped space after it (, \\t)", PASSWORD_START, ',', ` \\t${PASSWORD_END}`, true, 1],
  // An escape of a joiner just before it: its last letters or digits follow a marker, "#" or ";".
  ['a JSON escape of a joiner just before (\\u002d,)', `${PASSWORD_START}\\u002d`, ',', PASSWORD_END, true, 0],
  ["Python's long escape just before (\\U0000002d,)", `${PASSWORD_START}\\U0000002d`, ',', PASSWORD_END, true, 0],
  ['sixteen backslashes before u002d', `${PASSWORD_START}${'\\'.repeat(16)}u002d`, ',', PASSWORD_END, true, 0],
  ['a percent escape five times encoded (%252525252D,)', `${PASSWORD_START}%252525252D`, ',', PASSWORD_END, true, 0],
  ['an HTML name just before (&lt;,)', `${PASSWORD_START}&lt;`, ',', PASSWORD_END, true, 0],
  ['a numeric reference with no ";" (&#45,)', `${PASSWORD_START}&#45`, ',', PASSWORD_END, true, 0],
  ['a name escaped twice, read past its ";" (&amp;lt,)', `${PASSWORD_START}&amp;lt`, ',', PASSWORD_END, true, 0],
  ['a backslash escaping the separator itself (\\,)', `${PASSWORD_START}\\`, ',', PASSWORD_END, true, 0],
  ['a backslash before joiners and the separator (\\--,)', `${PASSWORD_START}\\--`, ',', PASSWORD_END, true, 0],
  // An "&" anywhere in the stretch of joiners and spaces: it starts an escape, or is a joiner as it stands in a run.
  ['an "&" in the stretch after (, &lt;)', PASSWORD_START, ',', ` &lt;${PASSWORD_END}`, true, 2],
  ['an "&" in the stretch before (&-,)', `${PASSWORD_START}&-`, ',', PASSWORD_END, true, 0],
  // The look back's bounds: past them a stretch is taken for one a run may hold.
  ['more letters and digits before it than any escape ends in (25)', ` ${'a'.repeat(25)}`, ',', '"', true, 0],
  ['a stretch of 66 joiners before it', `x${'-'.repeat(66)}`, ',', '"', true, 0],
  // At the text's start: the looks back read its first character too.
  ['an escape of a joiner opening the text (%2D,)', '%2D', ',', PASSWORD_END, true, 0],
  ['25 letters and digits opening the text', 'a'.repeat(25), ',', '"', true, 0],
  ['66 joiners opening the text', '-'.repeat(66), ',', '"', true, 0],
  // Cut as before: no escape of a joiner stands in the stretch nor at either end of it.
  ['an XML tag after a tag (<vm><id>)', '<vm', '>', '<id>', false, 1],
  ['between two JSON records (},{")', '{"id":1}', ',', '{"id":2}', false, 1],
  ['a JSON key and its number ("a":1)', '{"a"', ':', '1}', false, 0],
  ["a letter's escape after it ends the run (,%71)", PASSWORD_START, ',', `%71${PASSWORD_END}`, false, 0],
  ['24 letters and digits before it, a space before them', ` ${'a'.repeat(24)}`, ',', '"', false, 0],
  ['a stretch of 65 joiners after a word', `x ${'a'.repeat(5)}${'-'.repeat(65)}`, ',', '"', false, 0],
  ['a separator opening the text', '', ',', 'abc', false, 0],
  ['a word from the text start before it', 'abc', ',', '"', false, 0],
];

describe('mayStandInJoinerRun: where a large answer is never cut', () => {
  it.each(ROWS)('%s', (_shape, before, separator, after, mayStand, stretchAfter) => {
    const stretch = new Int32Array([-1]);
    expect(mayStandInJoinerRun(`${before}${separator}${after}`, before.length, stretch)).toBe(mayStand);
    // The next separator is looked for past the stretch of joiners and spaces after this one: each is read once.
    expect(stretch[0]).toBe(before.length + 1 + stretchAfter);
  });
});

/** The places the cut-point search cuts `text` at, for every piece size from 1 to its length. */
function cutsAtEverySize(text: string, separators: RegExp): Set<number> {
  const cuts = new Set<number>();
  for (let size = 1; size < text.length; size++) {
    let end = 0;
    for (const piece of piecesOf(text, separators, size).slice(0, -1)) cuts.add((end += piece.length));
  }
  return cuts;
}

const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
const separators = separatorsBeside([PASSWORD]) as RegExp;

/** Runs the reading of escaped joiners reads as one joiner between the password's two halves. */
const RUNS = ['-,-,\\u002d', ',,,\\u002d', '\\u002d,,,', '\\,', '- , %2D', ',,&lt;', '&amp;lt;,|', '%252525252D,,', '\\U0000002d::', ',,&#45,,'];

describe('piecesOf: the cut-point search', () => {
  it.each(RUNS)('never cuts inside %j between two halves of a password, at any piece size', (run) => {
    const text = `{"note":"key ${PASSWORD.slice(0, 7)}${run}${PASSWORD.slice(7)}"},{"id":1}`;
    const runStart = text.indexOf(run);
    const inside = [...cutsAtEverySize(text, separators)].filter((cut) => cut >= runStart && cut <= runStart + run.length);
    expect(inside).toEqual([]);
  });

  it('still cuts a list of records after each separator past the piece size (a guard: cut as before)', () => {
    const text = '<vm><id>1</id></vm>,{"a":1},{"b":[2,3]}';
    expect(piecesOf(text, separators, 4)).toEqual(['<vm>', '<id>1<', '/id>', '</vm>', ',{"a":', '1},{"b":', '[2,3]', '}']);
  });

  it('looks for the next separator past a refused stretch: a stretch of joiners is read once', () => {
    let searches = 0;
    const counted = new RegExp(separators.source, separators.flags);
    const exec = counted.exec.bind(counted);
    counted.exec = (text: string) => {
      searches++;
      return exec(text);
    };
    const text = `x\\u002d${','.repeat(100_000)}y`;
    expect(piecesOf(text, counted, 4)).toEqual([text]);
    expect(searches).toBeLessThanOrEqual(2);
  });
});
