import { describe, expect, it } from 'vitest';
import { rotationTimeOf } from '../../src/providers/zomro/rotation-time.js';

describe('rotationTimeOf', () => {
  it('reads HH:MM, H:MM and HH:MM:SS, seconds dropped, spaces around trimmed', () => {
    expect(rotationTimeOf('02:01')).toBe('02:01');
    expect(rotationTimeOf('2:01')).toBe('02:01');
    expect(rotationTimeOf('02:01:00')).toBe('02:01');
    expect(rotationTimeOf('23:59:59')).toBe('23:59');
    expect(rotationTimeOf('00:00')).toBe('00:00');
    expect(rotationTimeOf(' 14:30 ')).toBe('14:30');
  });

  it('is null for no field, an empty one or one that is no text', () => {
    for (const value of [undefined, null, '', {}, true]) expect(rotationTimeOf(value), String(value)).toBeNull();
  });

  it('is null past a day, an hour or a minute', () => {
    for (const value of ['24:00', '23:60', '23:59:60', '99:00']) expect(rotationTimeOf(value), value).toBeNull();
  });

  it('is null for any other form, or a time with text around it', () => {
    for (const value of ['0201', '2:1', '123:00', '02:001', '02:01:0', '02:01:', 'at 02:01', '02:01 am', '02:01\n03:04', 'ab:cd', '02-01']) {
      expect(rotationTimeOf(value), value).toBeNull();
    }
  });
});
