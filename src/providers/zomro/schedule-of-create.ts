import { cronFromWeekdays, formatTime, parseTime } from '../../domain/schedule.js';
import type { BackupSchedule, CreateScheduleRequest } from '../../domain/types.js';

/**
 * The schedule a create made, told from the create's own input and the id the panel answered, where
 * the schedule list read after it cannot tell it (refused, or not listing it yet): the panel took the
 * schedule, so it is answered as asked (its days, time and name as sent, running, as every listed
 * Zomro schedule with readable days is), not failed, which freed the idempotencyKey and made the
 * retry create a second one. Its `createdAt` and `raw` are the panel's alone: unknown here.
 */
export function scheduleOfCreate(providerId: string, nativeId: string, request: CreateScheduleRequest, timezone: string): BackupSchedule {
  const { hour, minute } = parseTime(request.time);
  return {
    providerId,
    nativeId,
    instanceNativeId: request.instance.nativeId,
    keyExtra: [],
    name: request.name,
    cron: cronFromWeekdays(request.weekdays, formatTime(hour, minute)),
    timezone,
    enabled: true,
    cronDialect: 'vixie',
    createdAt: null,
    raw: {},
  };
}
