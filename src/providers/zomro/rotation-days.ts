import type { Weekday } from '../../domain/types.js';
import { WEEKDAYS } from '../../domain/types.js';
import { toStringOrNull } from '../../domain/units.js';
import { originalOf } from './wire.js';

/**
 * The words a panel may show a day by, Sunday first: English (Zomro's schedule document) and
 * Russian, the other language Zomro's panel speaks, each in full and short (English's three
 * letters, the panel's Russian two): a panel showing short English names had its schedules read
 * as naming no day. Compared lower-cased.
 */
const WORDS_BY_DAY: ReadonlyArray<readonly string[]> = [
  ['sunday', 'sun', 'воскресенье', 'вс'],
  ['monday', 'mon', 'понедельник', 'пн'],
  ['tuesday', 'tue', 'вторник', 'вт'],
  ['wednesday', 'wed', 'среда', 'ср'],
  ['thursday', 'thu', 'четверг', 'чт'],
  ['friday', 'fri', 'пятница', 'пт'],
  ['saturday', 'sat', 'суббота', 'сб'],
];

const DAY_BY_WORD = new Map(WORDS_BY_DAY.flatMap((words, day) => words.map((word) => [word, day] as const)));

/**
 * Zomro answers `rotation_days` as words ("Monday Tuesday ") but takes numbers
 * (Sunday = 0); some answers carry the numbers ("1,2,3"). Both are read.
 */
export function parseRotationDays(value: unknown): Weekday[] {
  if (typeof value !== 'string') return [];
  const days = new Set<number>();
  for (const token of value.split(/[\s,]+/).filter(Boolean)) {
    const number = /^\d$/.test(token) ? Number(token) % 7 : DAY_BY_WORD.get(token.toLowerCase());
    if (number !== undefined) days.add(number);
  }
  return [...days].sort((a, b) => a - b).map((day) => WEEKDAYS[day] as Weekday);
}

/**
 * A schedule row's days: from `$orig` where it names any (BILLmanager keeps the stored value
 * there beside the word it shows in the panel's language, as with a backup's `protected`), else
 * from the shown words. `unreadable` when the row names days none of which can be read (a panel
 * language not known here): such a schedule was shown as daily, and made an instance PROTECTED
 * on days it may take nothing.
 */
export function rotationDaysOf(row: Record<string, unknown>): { weekdays: Weekday[]; unreadable: boolean } {
  const stored = parseRotationDays(originalOf(row, 'rotation_days'));
  if (stored.length > 0) return { weekdays: stored, unreadable: false };
  const weekdays = parseRotationDays(row.rotation_days);
  return { weekdays, unreadable: weekdays.length === 0 && (toStringOrNull(row.rotation_days)?.trim() ?? '') !== '' };
}
