import { formatTime } from '../../domain/schedule.js';
import { toStringOrNull } from '../../domain/units.js';

/**
 * A schedule's `rotation_time` as "HH:MM", or null where it names no time of day. Zomro's
 * schedule document shows "02:01"; BILLmanager keeps the field as a time and may show it with
 * its seconds ("02:01:00") or without a leading zero ("2:01"), so those are read too (seconds
 * dropped: a cron has no finer step than the minute). Anything else, or no field at all, is
 * unknown: it read midnight, and the schedule's next run was made up from it.
 */
export function rotationTimeOf(value: unknown): string | null {
  const text = toStringOrNull(value);
  if (text === null) return null;
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return formatTime(hour, minute);
}
