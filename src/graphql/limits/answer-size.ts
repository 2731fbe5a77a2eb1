import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../../domain/errors.js';
import { cutError, mutationAnswerCuts, withNullsAt } from './mutation-answer-cut.js';
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
  private readonly cutMessage: string;
  private readonly cutCause: GatewayError;

  constructor(
    private readonly schema: GraphQLSchema,
    /** `limits.maxAnswerBytes`: bytes of the answer's JSON (UTF-8). */
    readonly limit: number,
  ) {
    const message = `Answer size limit exceeded: its JSON would be longer than ${limit} bytes (limits.maxAnswerBytes), what was read repeated by aliases, _entities or fields leading to a record others share (a backup's instance). Ask for each record once, or for fewer fields (raw, note).`;
    this.tooLarge = new GraphQLError(message, { originalError: new GatewayError('QUERY_TOO_COMPLEX', message) });
    this.cutMessage = `Answer size limit exceeded: this mutation's answer was past ${limit} bytes (limits.maxAnswerBytes), so the records others share it led to are left out here (null). What acted is reported (its ids, status and operation); read these records with a query.`;
    this.cutCause = new GatewayError('QUERY_TOO_COMPLEX', this.cutMessage);
  }

  /** The refusal an execution's answer is instead; null when within the limit or when its document repeats nothing. */
  refusal(document: DocumentNode, data: unknown): GraphQLError | null {
    if (data === null || data === undefined) return null;
    return this.repeatsIn(document) && answerLongerThan(data, this.limit) ? this.tooLarge : null;
  }

  /**
   * A mutation's answer, past the limit, with null and a QUERY_TOO_COMPLEX error at each field leading
   * to a shared record (mutation-answer-cut.ts); as it was otherwise. It says what acted, so it is
   * never refused whole; what stays of it goes out even if still past the limit (aliases of the
   * payload's own fields: each is one record read once, within the upstream budget).
   */
  cutMutationAnswer(document: DocumentNode, operationName: string | null | undefined, result: ExecutionResult): ExecutionResult {
    const { data } = result;
    if (data === null || data === undefined || !this.repeatsIn(document) || !answerLongerThan(data, this.limit)) return result;
    const cuts = mutationAnswerCuts(this.schema, document, operationName, data);
    if (cuts.length === 0) return result;
    const under = (path: readonly (string | number)[] | undefined): boolean => path !== undefined && cuts.some((cut) => cut.length <= path.length && cut.every((key, at) => path[at] === key));
    // An error within what was cut told of a value no longer in the answer.
    const kept = (result.errors ?? []).filter((error) => !under(error.path));
    return { ...result, data: withNullsAt(data, cuts), errors: [...kept, ...cuts.map((path) => cutError(this.cutMessage, path, this.cutCause))] };
  }

  private repeatsIn(document: DocumentNode): boolean {
    let repeats = this.repeats.get(document);
    if (repeats === undefined) {
      repeats = repeatsRecords(this.schema, document);
      this.repeats.set(document, repeats);
    }
    return repeats;
  }
}

/**
 * Whether the JSON text of `value` would be longer than `limit` bytes (UTF-8, as it is sent), told
 * without writing it, the walk stopping as soon as it knows. Escapes and digits are counted as JSON
 * writes them: a note of control characters is six times its length, one of CJK three times its
 * characters, so counting its characters let through an answer six times the limit.
 */
export function answerLongerThan(value: unknown, limit: number): boolean {
  let chars = 0;
  // A stack, not recursion: a provider's `raw` record may nest deeper than the call stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') chars += jsonStringBytes(item);
    else if (typeof item === 'number') chars += Number.isFinite(item) ? String(item).length : 4;
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
        chars += jsonStringBytes(key) + (written === 0 ? 1 : 2);
        written += 1;
        pending.push(entry);
      }
    }
    if (chars > limit) return true;
  }
  return false;
}

/** Characters JSON writes as they are, one byte each: printable ASCII but `"` and `\\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The bytes of `text` as a JSON string, its quotes included (JSON.stringify's escapes, then UTF-8). */
export function jsonStringBytes(text: string): number {
  if (PLAIN.test(text)) return text.length + 2;
  let bytes = 2;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22 || code === 0x5c) bytes += 2;
    // \b \t \n \f \r; every other control character as \u00XX.
    else if (code < 0x20) bytes += code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code < 0xd800 || code > 0xdfff) bytes += 3;
    else if (code <= 0xdbff && at + 1 < text.length && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      at++;
    } else bytes += 6; // A lone surrogate: JSON.stringify writes it \uDXXX.
  }
  return bytes;
}
