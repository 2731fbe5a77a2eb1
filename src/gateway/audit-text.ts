import { createHash } from 'node:crypto';
import { clippedStart } from '../graphql/scrubbed-log-text.js';

/** Ids and native ids of up to this many characters are named whole: real ones are far shorter (a ZStack backup's id, two UUIDs, is about 120). */
export const KEPT_WHOLE = 160;

/** What an audit line keeps of the start of a longer one. */
const KEPT_START = 64;

/**
 * An id or a provider's native id as an audit line names it. Every alias of a mutation writes
 * its line, refused or not, and a well-formed id of 2,048 characters was named whole, its
 * native ids again in the subjects: 30 aliases of deleteBackup turned a 4 KB request into
 * 117 KB of log. A longer one is its start, a digest of the whole (to match it against other
 * lines or the id itself) and its length: a bounded line, whatever the id.
 */
export function auditIdText(value: string): string {
  if (value.length <= KEPT_WHOLE) return value;
  const digest = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
  // The start without the run the cut goes through: the line is scrubbed later, and finds a credential's hex or escaped form only whole.
  return `${clippedStart(value, KEPT_START)}... (sha256 ${digest}, ${value.length} characters)`;
}
