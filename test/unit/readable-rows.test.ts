import { describe, expect, it } from 'vitest';
import type { RowLeftOut } from '../../src/domain/row-left-out.js';
import { ROWS_PER_TURN } from '../../src/domain/turns.js';
import { idText } from '../../src/providers/native-id.js';
import { mapReadableRows, type RowsOf } from '../../src/providers/readable-rows.js';
import { UNSCOPED, type UpstreamScope } from '../../src/upstream/scope.js';

const OF: RowsOf = { provider: 'p', list: 'backups', instanceNativeId: 'vm-1' };
const UNREADABLE = 'x'.repeat(600);

/** Rows of ids, mapped as a provider's mapper maps them (idText: an unreadable id throws UnreadableNativeId). */
function rowsOf(ids: readonly unknown[]): Array<{ id: unknown }> {
  return ids.map((id) => ({ id }));
}

function told(): { scope: UpstreamScope; rows: RowLeftOut[] } {
  const rows: RowLeftOut[] = [];
  return { scope: { ...UNSCOPED, rowLeftOut: (row) => rows.push(row) }, rows };
}

const mapId = (row: { id: unknown }): string => idText(row.id, 'p');

describe('mapReadableRows', () => {
  it('answers a list the size of a dashboard as it is, not in a promise: no wrapper per list on every uncached read', () => {
    const { scope, rows } = told();
    const mapped = mapReadableRows(rowsOf(['a', 'b', 'c']), mapId, OF, scope);
    expect(mapped).not.toBeInstanceOf(Promise);
    expect(mapped).toEqual(['a', 'b', 'c']);
    expect(rows).toEqual([]);
  });

  it('leaves out the unreadable rows of a short list, keeping the others in order, and tells the request of each', () => {
    const { scope, rows } = told();
    const mapped = mapReadableRows(rowsOf([UNREADABLE, 'a', 2 ** 60, 'b', UNREADABLE]), mapId, OF, scope);
    expect(mapped).toEqual(['a', 'b']);
    expect(rows.map((row) => [row.provider, row.list, row.instanceNativeId])).toEqual(Array.from({ length: 3 }, () => ['p', 'backups', 'vm-1']));
    expect(rows.map((row) => row.reason)).toEqual([
      'provider p sent an id of 600 bytes (at most 512 are read)',
      'provider p sent an id that cannot be read exactly (not a string nor an integer below 2^53)',
      'provider p sent an id of 600 bytes (at most 512 are read)',
    ]);
  });

  it('leaves out the unreadable rows of a list longer than ROWS_PER_TURN too', async () => {
    const { scope, rows } = told();
    const ids = Array.from({ length: ROWS_PER_TURN + 2 }, (_, index) => `id-${index}`);
    const mapped = await mapReadableRows(rowsOf([UNREADABLE, ...ids, UNREADABLE]), mapId, OF, scope);
    expect(mapped).toEqual(ids);
    expect(rows).toHaveLength(2);
  });

  it('fails the whole list on any other failure of a row: the answer is not what the mapper reads', () => {
    const { scope, rows } = told();
    expect(() => mapReadableRows(rowsOf(['a', undefined, 'b']), mapId, OF, scope)).toThrow('provider p sent a record without its id');
    expect(rows).toEqual([]);
  });
});
