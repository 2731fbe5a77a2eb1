import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { SecretPieceSearch } from '../../src/upstream/secret-pieces.js';

const KEY = 'Dnb7Kq8Rw2Zx4LmT';

/** A Danube list answer as its API (and the simulator) sends it: a new `task_id` on every read. */
const danubeList = (rows: number, taskId = `1e1-${randomUUID()}`): string =>
  JSON.stringify({
    status: 'SUCCESS',
    result: Array.from({ length: rows }, (_, index) => ({ hostname: `vm-${index}.example.com`, uuid: `0000-${index}`, note: index === 3 ? `key ${KEY.slice(2, 12)}` : 'plain' })),
    task_id: taskId,
  });

/** How many texts, and characters of them, the search holds to answer again (its own count, and the texts' lengths). */
function remembered(search: SecretPieceSearch): { texts: number; chars: number; counted: number } {
  const held = (search as unknown as { remembered: { answered: Map<string, unknown>; answeredChars: number } }).remembered;
  return { texts: held.answered.size, chars: [...held.answered.keys()].reduce((sum, text) => sum + text.length, 0), counted: held.answeredChars };
}

describe('SecretPieceSearch: what it remembers is what may be asked again', () => {
  it('holds none of 2,000 answers that differ only in their task_id, and still finds the piece in each', () => {
    const search = new SecretPieceSearch([KEY]);
    for (let read = 0; read < 2_000; read++) {
      const answer = danubeList(40);
      expect(search.find(answer)).toHaveLength(1);
    }
    // Remembered at first sight, these filled the 1,000,000-character budget and were never asked again.
    expect(remembered(search)).toEqual({ texts: 0, chars: 0, counted: 0 });
  });

  it('remembers an answer asked again, and answers it from memory after that', () => {
    const search = new SecretPieceSearch([KEY]);
    const searched = vi.spyOn(search as unknown as { findIn: (text: string) => unknown }, 'findIn');
    const answer = danubeList(40, '1e1-fixed');
    for (let read = 0; read < 5; read++) expect(search.find(answer)).toHaveLength(1);
    expect(searched).toHaveBeenCalledTimes(2);
    expect(remembered(search)).toEqual({ texts: 1, chars: answer.length, counted: answer.length });
  });

  it('stays within its budget when answers are asked twice each', () => {
    const search = new SecretPieceSearch([KEY]);
    for (let read = 0; read < 400; read++) {
      const answer = danubeList(400, `1e1-${read}`);
      search.find(answer);
      search.find(answer);
    }
    const held = remembered(search);
    expect(held.chars).toBe(held.counted);
    expect(held.chars).toBeLessThanOrEqual(1_000_000);
    expect(held.chars).toBeGreaterThan(900_000);
  });
});
