import { decodeId } from '../domain/ids.js';
import { auditIdText } from './audit-text.js';
import { clippedStart } from '../graphql/scrubbed-log-text.js';

/** Input fields that name what a mutation acts on: they go into the audit line. */
const TARGET_FIELDS = ['instanceId', 'backupId', 'scheduleId', 'definitionId', 'providerId', 'targetInstanceId', 'instanceIds', 'operationId'] as const;

/** What an audit line keeps of a target that is no id (it names nothing the gateway could act on). */
const KEPT_OF_NO_ID = 100;

/** A target as the audit line names it: an id as `auditIdText` does, anything else at most KEPT_OF_NO_ID characters and its length. */
function auditText(value: string): string {
  if (value.length <= KEPT_OF_NO_ID) return value;
  try {
    decodeId(value);
    return auditIdText(value);
  } catch {
    return `${clippedStart(value, KEPT_OF_NO_ID)}... (${value.length} characters)`;
  }
}

/**
 * Characters of one list's ids an audit line names, all together: some 200 ids of the
 * longest kinds real accounts give (ZStack's, about 70 characters), and more than the
 * default 100 ids of any kind. By count alone, 100 made-up ids of 2,000 characters each
 * (well-formed, so named whole) in one variable, under 10 aliases of createBackups (FORBIDDEN
 * to a viewer), wrote 3.6 MB of log per request of 200 KB, the subjects naming them again.
 */
export const LISTED_CHARACTERS = 16 * 1024;

/** How many of `list`'s first items an audit line names: at most `maxListed`, and `LISTED_CHARACTERS` of them. */
export function listedCount(list: readonly unknown[], maxListed: number): number {
  let characters = 0;
  const most = Math.min(list.length, maxListed);
  for (let count = 0; count < most; count += 1) {
    const item = list[count];
    characters += typeof item === 'string' ? auditText(item).length : 0;
    if (characters > LISTED_CHARACTERS) return count;
  }
  return most;
}

/**
 * The targets of a mutation's input, for its audit line, bounded: the line
 * is written before any check, for every alias of a request, whoever asks.
 * Copied whole, a viewer's 900 KB "id" in one variable, named by 30 aliases
 * of a mutation it may not call, wrote 27 MB of log per request. An id is
 * kept whole up to KEPT_WHOLE characters, else its start and a digest; a list names at most
 * `maxListed` (createBackups refuses more) and `LISTED_CHARACTERS`, and says
 * how many it left out.
 */
export function auditTargets(input: Readonly<Record<string, unknown>>, maxListed: number): Record<string, unknown> {
  const targets: Record<string, unknown> = {};
  for (const field of TARGET_FIELDS) {
    const value = input[field];
    if (typeof value === 'string') targets[field] = auditText(value);
    else if (Array.isArray(value)) {
      const listed = listedCount(value, maxListed);
      targets[field] = value.slice(0, listed).map((item: unknown) => (typeof item === 'string' ? auditText(item) : item));
      if (value.length > listed) targets[`${field}NotListed`] = value.length - listed;
    }
  }
  return targets;
}
