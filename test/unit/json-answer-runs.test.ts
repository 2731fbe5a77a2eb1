import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonAnswerBytes } from '../../src/server/json-answer.js';

/**
 * The runs themselves, not only their bytes: any cut of an array gives the same bytes (one
 * JSON.stringify of the whole is the reference), so a run length gone wrong, or an array left to
 * one JSON.stringify whole, showed in no byte test, only as the large-object cost json-answer.ts
 * exists to avoid (one flat string over 128 KB) or one JSON.stringify per item again. Each run is
 * one JSON.stringify of a slice: its text is seen here through a spy that calls the real one.
 */
const RUN_CHARS = 16 * 1024;

afterEach(() => vi.restoreAllMocks());

function runsOf(value: unknown): string[] {
  const stringify = JSON.stringify.bind(JSON);
  const runs: string[] = [];
  vi.spyOn(JSON, 'stringify').mockImplementation(((item: unknown, ...rest: []) => {
    const text = stringify(item, ...rest);
    if (Array.isArray(item)) runs.push(text);
    return text;
  }) as typeof JSON.stringify);
  const bytes = jsonAnswerBytes(value);
  vi.restoreAllMocks();
  expect(bytes.equals(Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'))).toBe(true);
  return runs;
}

describe('jsonAnswerBytes writes an array in runs of about 16 K characters', () => {
  it('10,000 items of even size (~270 K characters): a first run of one item, then runs of 8-32 K characters', () => {
    const items = Array.from({ length: 10_000 }, (_, index) => ({ id: `vm-${String(index).padStart(6, '0')}`, on: true }));
    const runs = runsOf({ data: { list: items } });
    expect(runs[0]).toBe(JSON.stringify([items[0]]));
    const middle = runs.slice(1, -1);
    expect(middle.length).toBeGreaterThanOrEqual(10);
    for (const run of middle) {
      expect(run.length).toBeGreaterThan(RUN_CHARS / 2);
      expect(run.length).toBeLessThan(RUN_CHARS * 2);
    }
    expect(runs.join('').length).toBeLessThan(JSON.stringify(items).length + 2 * runs.length);
  });

  it('an array of numbers, strings, booleans and nulls is cut into runs too, not left whole', () => {
    const items = Array.from({ length: 20_000 }, (_, index) => (index % 4 === 0 ? null : index % 4 === 1 ? `s${index}` : index % 4 === 2 ? index : true));
    const runs = runsOf({ data: { list: items } });
    expect(runs.length).toBeGreaterThan(5);
    for (const run of runs) expect(run.length).toBeLessThan(RUN_CHARS * 2);
  });
});
