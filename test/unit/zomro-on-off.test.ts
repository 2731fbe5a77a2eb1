import { describe, expect, it } from 'vitest';
import { flagOn } from '../../src/providers/zomro/on-off.js';
import { elems } from '../../src/providers/zomro/wire.js';

/** One list row as BILLmanager sends it, `protected` wrapped as given, read through the envelope as the adapter reads it. */
const rowWith = (wrapped: Record<string, unknown>) => elems({ elem: [{ id: { $: '8842' }, protected: wrapped }] })[0]!;
const isProtected = (wrapped: Record<string, unknown>) => flagOn(rowWith(wrapped), 'protected');

describe("zomro: a row's on/off flag", () => {
  it('reads the stored on/off from $orig, whatever word the panel shows in $', () => {
    expect(isProtected({ $: 'Да', $orig: 'on' })).toBe(true);
    expect(isProtected({ $: 'Нет', $orig: 'off' })).toBe(false);
    expect(isProtected({ $: 'Yes', $orig: ' ON ' })).toBe(true);
    // $orig decides where it says on or off, even against the word shown.
    expect(isProtected({ $: 'on', $orig: 'off' })).toBe(false);
  });

  it('reads $ where no $orig says on or off (none, empty, another word)', () => {
    expect(isProtected({ $: 'on' })).toBe(true);
    expect(isProtected({ $: ' On ' })).toBe(true);
    expect(isProtected({ $: 'off' })).toBe(false);
    expect(isProtected({ $: 'on', $orig: '' })).toBe(true);
    expect(isProtected({ $: 'on', $orig: '1' })).toBe(true);
    expect(isProtected({ $: 'off', $orig: 'yes' })).toBe(false);
  });

  it('reads anything else as off: no value, a number, a word of its own', () => {
    expect(isProtected({ $: 'Да' })).toBe(false);
    expect(isProtected({ $: '' })).toBe(false);
    expect(isProtected({ $: 1 })).toBe(false);
    expect(flagOn(rowWith({ $: 'on' }), 'missing')).toBe(false);
    // A row not read through the envelope (no $orig known): $ alone.
    expect(flagOn({ protected: 'on' }, 'protected')).toBe(true);
  });
});
