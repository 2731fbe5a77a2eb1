import { describe, expect, it } from 'vitest';
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
  });
});
