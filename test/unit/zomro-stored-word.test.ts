import { describe, expect, it } from 'vitest';
import { elems } from '../../src/providers/zomro/wire.js';
import { storedWord } from '../../src/providers/zomro/stored-word.js';

/** A list row as the client reads it: through `elems`, which keeps each field's `$orig` beside the row. */
const rowOf = (value: unknown): Record<string, unknown> => elems({ elem: [{ id: { $: '1' }, fleio_status: value }] })[0]!;

describe('zomro storedWord', () => {
  it('takes a plain word in $orig before the shown word', () => {
    expect(storedWord(rowOf({ $orig: 'Active', $: 'Активен' }), 'fleio_status')).toBe('Active');
    expect(storedWord(rowOf({ $orig: ' verify_resize ', $: 'Подтвердите' }), 'fleio_status')).toBe('verify_resize');
  });

  it('keeps the shown value where $orig is absent, empty, a code or no plain word', () => {
    expect(storedWord(rowOf({ $: 'Active' }), 'fleio_status')).toBe('Active');
    expect(storedWord(rowOf({ $orig: '', $: 'Active' }), 'fleio_status')).toBe('Active');
    expect(storedWord(rowOf({ $orig: '4', $: 'Deleted' }), 'fleio_status')).toBe('Deleted');
    expect(storedWord(rowOf({ $orig: 'Активен', $: 'Active' }), 'fleio_status')).toBe('Active');
    expect(storedWord(rowOf({ $orig: 'x'.repeat(41), $: 'Active' }), 'fleio_status')).toBe('Active');
    expect(storedWord({ fleio_status: 'Saving' }, 'fleio_status')).toBe('Saving');
  });
});
