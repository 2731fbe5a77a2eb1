import { describe, expect, it } from 'vitest';
import { elems } from '../../src/providers/zomro/wire.js';
import { parseRotationDays, rotationDaysOf } from '../../src/providers/zomro/rotation-days.js';

/** A list row as the client reads it: through `elems`, which keeps each field's `$orig` beside the row. */
const rowOf = (rotationDays: unknown): Record<string, unknown> => elems({ elem: [{ id: { $: '1' }, rotation_days: rotationDays }] })[0]!;

describe('zomro rotation_days', () => {
  it('reads Russian day words, in full and short, as English ones', () => {
    expect(parseRotationDays('Понедельник Вторник Среда Четверг Пятница ')).toEqual(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']);
    expect(parseRotationDays('воскресенье СУББОТА')).toEqual(['SUNDAY', 'SATURDAY']);
    expect(parseRotationDays('Пн, Ср, Пт')).toEqual(['MONDAY', 'WEDNESDAY', 'FRIDAY']);
  });

  it('reads each day by each of its words: English, Russian in full and the panel\'s two-letter forms', () => {
    const week = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
    expect(parseRotationDays('Sunday Monday Tuesday Wednesday Thursday Friday Saturday ')).toEqual(week);
    expect(parseRotationDays('Воскресенье Понедельник Вторник Среда Четверг Пятница Суббота ')).toEqual(week);
    expect(parseRotationDays('Вс Пн Вт Ср Чт Пт Сб')).toEqual(week);
    expect(parseRotationDays('0,1,2,3,4,5,6')).toEqual(week);
  });

  it('reads English short day names, any case, and their rows as readable', () => {
    const week = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
    expect(parseRotationDays('Sun Mon Tue Wed Thu Fri Sat ')).toEqual(week);
    expect(parseRotationDays('MON,wed, Fri')).toEqual(['MONDAY', 'WEDNESDAY', 'FRIDAY']);
    expect(rotationDaysOf(rowOf({ $: 'Mon Thu ' }))).toEqual({ weekdays: ['MONDAY', 'THURSDAY'], unreadable: false });
  });

  it('takes the stored days in $orig before the shown words, and the words where $orig names none', () => {
    expect(rotationDaysOf(rowOf({ $orig: '1,3', $: 'Lunedì Mercoledì ' }))).toEqual({ weekdays: ['MONDAY', 'WEDNESDAY'], unreadable: false });
    expect(rotationDaysOf(rowOf({ $orig: '', $: 'Monday ' }))).toEqual({ weekdays: ['MONDAY'], unreadable: false });
    expect(rotationDaysOf(rowOf({ $: 'Monday Friday ' }))).toEqual({ weekdays: ['MONDAY', 'FRIDAY'], unreadable: false });
  });

  it('is unreadable only when days are named and none is read; no days named is not unreadable', () => {
    expect(rotationDaysOf(rowOf({ $: 'Lunedì Mercoledì ' }))).toEqual({ weekdays: [], unreadable: true });
    expect(rotationDaysOf(rowOf({ $: '  ' }))).toEqual({ weekdays: [], unreadable: false });
    expect(rotationDaysOf(rowOf({ $: '' }))).toEqual({ weekdays: [], unreadable: false });
    expect(rotationDaysOf({})).toEqual({ weekdays: [], unreadable: false });
  });
});
