import { describe, expect, it } from 'vitest';
import { clippedStart, scrubClipped } from '../../src/graphql/scrubbed-log-text.js';

const unchanged = (text: string): string => text;
const A = 'a'.repeat(20);
const B = 'b'.repeat(20);

/**
 * Where the cut lands right before a break (whitespace, a quote, or after ASCII a "." or ":"), the
 * text before it is no run the cut goes through: only the MIN_PIECE_LENGTH - 1 (7) characters before
 * the cut are left out, so a long Host name keeps its first labels. A cut inside a run drops the run.
 */
describe('scrubClipped and clippedStart: a cut landing on a break keeps the labels before it', () => {
  const host = `${A}.${B}.example.org`;

  it('an ASCII Host cut just before a "." keeps all but the last 7 characters before the cut', () => {
    expect(scrubClipped(host, 41, unchanged)).toBe(`${A}.${'b'.repeat(13)}...`);
    expect(clippedStart(host, 41)).toBe(`${A}.${'b'.repeat(13)}`);
  });

  it('cut inside a label, the label the cut goes through is left out whole (and 7 before it)', () => {
    expect(scrubClipped(host, 35, unchanged)).toBe(`${'a'.repeat(14)}...`);
    expect(clippedStart(host, 35)).toBe('a'.repeat(14));
  });

  it('a cut just before whitespace keeps the words before it; just before a quote too', () => {
    expect(clippedStart(`${A} ${B}`, 20)).toBe('a'.repeat(13));
    expect(clippedStart(`${A}"${B}`, 20)).toBe('a'.repeat(13));
  });

  it('a "." after a run that is not ASCII is no break: the lookalike run is left out whole', () => {
    const lookalike = `${A} ${'ｓｅｃｒｅｔｋｅｙｏｎｅ'}.${B}`;
    // Cut just before the ".": the full-width run stands before it and must not stay.
    expect(clippedStart(lookalike, 33)).toBe('a'.repeat(14));
  });

  it('never half a surrogate pair at the cut', () => {
    // Cut before the space: 7 units left out of 20 would split the seventh emoji.
    const text = `${'😀'.repeat(10)} tail`;
    expect(clippedStart(text, 20)).toBe('😀'.repeat(6));
    expect(scrubClipped(text, 20, unchanged)).toBe(`${'😀'.repeat(6)}...`);
  });

  it('a text within the bound is only scrubbed', () => {
    expect(scrubClipped(host, host.length, (text) => text.toUpperCase())).toBe(host.toUpperCase());
    expect(clippedStart(host, host.length)).toBe(host);
  });
});
