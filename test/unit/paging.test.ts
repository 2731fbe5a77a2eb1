import { describe, expect, it } from 'vitest';
import { MAX_LIST_ROWS, checkListSize, repeatsPage } from '../../src/providers/paging.js';

describe('repeatsPage', () => {
  it('tells a page that starts where the previous one did, by the id field named', () => {
    expect(repeatsPage([{ id: 1 }, { id: 2 }], [{ id: 1 }, { id: 2 }], 'id')).toBe(true);
    expect(repeatsPage([{ uuid: 'a' }], [{ uuid: 'a', name: 'other' }], 'uuid')).toBe(true);
    expect(repeatsPage([{ id: 3 }], [{ id: 1 }, { id: 2 }], 'id')).toBe(false);
    expect(repeatsPage([{ id: 1, uuid: 'x' }], [{ id: 1, uuid: 'y' }], 'uuid')).toBe(false);
  });

  it('never calls a first or an empty page a repeat', () => {
    expect(repeatsPage([{ id: 1 }], [], 'id')).toBe(false);
    expect(repeatsPage([], [{ id: 1 }], 'id')).toBe(false);
    expect(repeatsPage([], [], 'id')).toBe(false);
  });
});

describe('checkListSize', () => {
  it('lets a list of up to 500,000 rows through, and refuses a longer one as the provider answering too much', () => {
    expect(MAX_LIST_ROWS).toBe(500_000);
    expect(() => checkListSize(MAX_LIST_ROWS, 'p')).not.toThrow();
    expect(() => checkListSize(MAX_LIST_ROWS + 1, 'p')).toThrow(
      expect.objectContaining({ code: 'PROVIDER_ERROR', message: 'provider p listed more than 500000 rows in one list; the gateway reads no more', details: { provider: 'p', providerCode: 'TOO_MANY_ROWS' } }),
    );
  });
});
