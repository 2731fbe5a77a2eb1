import type { BackupSchedule } from './types.js';

/** A schedule's fields but `raw`, which the mapper adds (withPublicRaw); the optional ones a provider may leave out. */
export type ScheduleFields = Omit<BackupSchedule, 'raw'>;

/**
 * Every provider's schedule built by one literal: the same fields in the same order, an optional
 * one a provider does not give written as `undefined`, so V8 gives every schedule one hidden class
 * whoever made it. Built by each mapper's own literal, Zomro's, Danube's and OnApp's three (with a
 * start, a repeat or neither, spread with a disk or not) were five: graphql-jit's compiled reads of
 * `name` and `cron` and the nextRunAt resolver's reads went polymorphic on a dashboard.
 *
 * `undefined` reads as a field left out does: no resolver, cache check (cached-record-shape.ts) or
 * store tells them apart, and JSON.stringify (Redis, idempotency records) writes neither, so an
 * entry written by a version before this reads the same, and this one's reads the same to it.
 */
export function scheduleRecord(fields: ScheduleFields): ScheduleFields {
  return {
    providerId: fields.providerId,
    nativeId: fields.nativeId,
    instanceNativeId: fields.instanceNativeId,
    keyExtra: fields.keyExtra,
    name: fields.name,
    cron: fields.cron,
    timezone: fields.timezone,
    repeat: fields.repeat,
    startsAtMs: fields.startsAtMs,
    enabled: fields.enabled,
    cronDialect: fields.cronDialect,
    diskId: fields.diskId,
    createdAt: fields.createdAt,
  };
}
