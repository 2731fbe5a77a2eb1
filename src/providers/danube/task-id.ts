import { badInput } from '../../domain/errors.js';

/**
 * A Danube task id as esdc-ce makes them (Celery ids behind a prefix: "1e1-6f75849b-11b8-4bf1-8f66",
 * "0-6a75b49b-e63b-4a45-4ffa"): ASCII letters, digits and a few separators. Operation ids come
 * from clients, and their task id went into `PUT /task/{id}/cancel` as whatever they held: a
 * crafted one with `;`, `,`, `%2F`, a newline or full-width dots was sent as a cancel of a task
 * the gateway never started, and encoding alone keeps only the path's shape, not its meaning to
 * whatever reads it next (a proxy that decodes twice, a router that splits on `;`).
 */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Whether a provider's `task_id` is one the gateway can follow: a task id of another shape (3,000
 * characters, a newline, `../`, half a surrogate pair) went into the operation id and
 * `providerOperationId` as it was, and every poll of that id was refused as the client's mistake
 * ("send an operation id as the gateway answered it", or "malformed id" past 2,048 characters).
 */
export const isTaskId = (value: unknown): value is string => typeof value === 'string' && TASK_ID.test(value);

/** The task id of an operation id, refused (BAD_USER_INPUT) before any call unless it has a task id's shape. */
export function taskSegment(taskId: string): string {
  if (!TASK_ID.test(taskId)) throw badInput('operation id names no Danube task: send an operation id as the gateway answered it');
  return encodeURIComponent(taskId);
}
