import { describe, expect, it } from 'vitest';
import { nextTurn } from '../../src/domain/turns.js';
import { holdsMoreContainers } from '../../src/upstream/json-containers.js';

describe('holdsMoreContainers: JSON objects and arrays outside strings, counted up to a limit', () => {
  it('counts objects and arrays, not the braces and brackets in strings', async () => {
    expect(await holdsMoreContainers('[{},{},[]]   ', 100, 3)).toBe(true);
    expect(await holdsMoreContainers('[{},{}]      ', 100, 3)).toBe(false);
    expect(await holdsMoreContainers('["{{{{[[[["]', 100, 3)).toBe(false);
  });

  it('reads an escaped quote as part of its string, also when a turn ends between the backslash and the quote', async () => {
    const text = '["\\"{{{{", {}]';
    for (let charsPerTurn = 1; charsPerTurn <= text.length; charsPerTurn++) {
      expect(await holdsMoreContainers(text, charsPerTurn, 2)).toBe(false);
      expect(await holdsMoreContainers(text, charsPerTurn, 1)).toBe(true);
    }
  });

  it('does not read a text of at most twice the limit: it cannot hold more', async () => {
    expect(await holdsMoreContainers('[{}]', 1, 2)).toBe(false);
    expect(await holdsMoreContainers('[{}] ', 1, 2)).toBe(false);
    expect(await holdsMoreContainers('[{},{}]', 1, 2)).toBe(true);
    // Not valid JSON (JSON.parse refuses it), and not counted: four openings in four characters.
    expect(await holdsMoreContainers('[[[[', 1, 2)).toBe(false);
  });

  it('reads at most charsPerTurn characters before other work gets a turn', async () => {
    // More braces than the limit, but in a string: not answered by the count of openings alone.
    const text = `["${'{'.repeat(96)}"]`;
    let scanning = true;
    let otherTurns = 0;
    const other = (async () => {
      while (scanning) {
        await nextTurn();
        otherTurns++;
      }
    })();
    expect(await holdsMoreContainers(text, 1, 2)).toBe(false);
    scanning = false;
    await other;
    // 100 characters one a turn: 99 turns between them.
    expect(otherTurns).toBeGreaterThanOrEqual(99);
  });

  it('does not read a character at a time a long text with no more braces and brackets than the limit, strings included: answered before a turn', async () => {
    const rows = JSON.stringify(Array.from({ length: 100 }, (_, index) => ({ id: index, note: 'a {note} of [forty] characters, no more'.padEnd(40) })));
    // 301 braces and brackets (one of each in every note), in 6,000 characters: read, it takes 60 turns of 100.
    expect(rows.length).toBeGreaterThan(2 * 400);
    const first = await Promise.race([holdsMoreContainers(rows, 100, 400), nextTurn().then(() => 'a turn went by')]);
    expect(first).toBe(false);
  });

  it('still reads the text where its braces and brackets outnumber the limit, and tells those in strings apart', async () => {
    const strings = JSON.stringify(Array.from({ length: 100 }, () => '{[{['));
    expect(await holdsMoreContainers(strings, 100, 50)).toBe(false);
    const objects = JSON.stringify(Array.from({ length: 100 }, () => ({})));
    expect(await holdsMoreContainers(objects, 100, 50)).toBe(true);
  });
});
