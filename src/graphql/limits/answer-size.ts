import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../../domain/errors.js';
import { repeatsRecords } from './repeated-records.js';

/**
 * Bounds the text of an answer that may hold what was read many times over (repeated-records.ts),
 * measured before it is written. Nothing else bounds an answer's bytes: the item count
 * (answer-items.ts) bounds objects, the upstream budget the provider answers read. But
 * `_entities` with 1,000 representations of one instance, 30 aliases of `instance(id:)`, or a
 * backup's instance's backups a few levels down hand back one note or `raw` record again and
 * again: a 30 KB request naming one instance whose one backup had a 1 MiB note was answered
 * 300 MiB from one upstream read, every limit met. The answer's values are references to what
 * was read (cheap); its text is what costs, so it is refused before any of it is made.
 */
export class AnswerSizeGuard {
  private readonly repeats = new WeakMap<DocumentNode, boolean>();
  private readonly tooLarge: GraphQLError;

  constructor(
    private readonly schema: GraphQLSchema,
    /** `limits.maxAnswerBytes`: characters of the answer's JSON. */
    readonly limit: number,
  ) {
    const message = `Answer size limit exceeded: its JSON would be longer than ${limit} bytes (limits.maxAnswerBytes), what was read repeated by aliases, _entities or fields leading to a record others share (a backup's instance). Ask for each record once, or for fewer fields (raw, note).`;
    this.tooLarge = new GraphQLError(message, { originalError: new GatewayError('QUERY_TOO_COMPLEX', message) });
  }

  /** The refusal an execution's answer is instead; null when within the limit or when its document repeats nothing. */
  refusal(document: DocumentNode, data: unknown): GraphQLError | null {
    if (data === null || data === undefined) return null;
    let repeats = this.repeats.get(document);
    if (repeats === undefined) {
      repeats = repeatsRecords(this.schema, document);
      this.repeats.set(document, repeats);
    }
    return repeats && answerLongerThan(data, this.limit) ? this.tooLarge : null;
  }
}

/**
 * Whether the JSON text of `value` would be longer than `limit` characters, told without writing
 * it, the walk stopping as soon as it knows. A lower bound is counted: JSON's own length for
 * strings without escapes and one-digit numbers; escapes and further digits are not counted.
 */
export function answerLongerThan(value: unknown, limit: number): boolean {
  let chars = 0;
  // A stack, not recursion: a provider's `raw` record may nest deeper than the call stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') chars += item.length + 2;
    else if (typeof item === 'number') chars += 1;
    else if (typeof item === 'boolean') chars += item ? 4 : 5;
    else if (item === null) chars += 4;
    else if (typeof item !== 'object') continue;
    else if (Array.isArray(item)) {
      chars += item.length === 0 ? 2 : 1 + item.length;
      for (const entry of item) pending.push(entry);
    } else {
      chars += 2;
      let written = 0;
      const record = item as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const entry = record[key];
        // JSON leaves such a key out.
        if (entry === undefined || typeof entry === 'function' || typeof entry === 'symbol') continue;
        chars += key.length + (written === 0 ? 3 : 4);
        written += 1;
        pending.push(entry);
      }
    }
    if (chars > limit) return true;
  }
  return false;
}
