import { randomUUID } from 'node:crypto';
import { MUTATION_STORE_WAIT_MS, withinMs } from './bounded-call.js';
import type { KeyValueStore } from './store.js';

/** Most reads of a keep: each after another caller kept the same series meanwhile. */
const MOST_KEEP_LOOKS = 8;

/** What the pointer holds: the series' mark (OnApp: a watermark), and the mark's last keep. */
export interface SeriesPointer {
  /** As stored, to move from (compare and set); undefined when nothing is. */
  readonly value: unknown;
  /** The series it names; undefined when nothing is stored, or what is names none (another version's, a hand edit). */
  readonly mark: number | undefined;
}

/**
 * Which series the calls of one group (an OnApp VM's restores) join now, in the shared store.
 * Each value is the series' mark and a fresh id, written anew by every keep: a caller that read
 * the pointer before another's keep can never move it (compare and set against what it read), so
 * a series is never left while a place taken in it is still being confirmed. Never throws: a
 * store that does not answer in time reads `unanswered`, or undefined for a write.
 */
export class CurrentSeries {
  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
    /** How long the pointer lives past its last keep. */
    private readonly keptMs: number,
  ) {}

  async read(): Promise<SeriesPointer | 'unanswered'> {
    const read = await withinMs(this.store.get<unknown>(this.key).then((value) => ({ value })), MUTATION_STORE_WAIT_MS);
    return read === undefined ? 'unanswered' : { value: read.value, mark: markOf(read.value) };
  }

  /** Names `mark` where nothing is named: true when this caller did. */
  start(mark: number): Promise<boolean | undefined> {
    return withinMs(this.store.setIfAbsent(this.key, valueOf(mark), this.keptMs), MUTATION_STORE_WAIT_MS);
  }

  /** Names `mark` instead of what `from` (as read) named, only while the pointer still holds `from`. */
  move(from: unknown, mark: number): Promise<boolean | undefined> {
    return withinMs(this.store.replaceIfEqual(this.key, from, valueOf(mark), this.keptMs), MUTATION_STORE_WAIT_MS);
  }

  /**
   * For a caller that took a place in the series `mark` names: true while the pointer still names
   * it, written anew (a fresh id, and `keptMs` more), so a move read before this keep fails; false
   * when it names another (or none: it lapsed), undefined when the store does not answer in time.
   */
  async keep(mark: number): Promise<boolean | undefined> {
    for (let look = 0; look < MOST_KEEP_LOOKS; look += 1) {
      const pointer = await this.read();
      if (pointer === 'unanswered') return undefined;
      if (pointer.mark !== mark) return false;
      const kept = await withinMs(this.store.replaceIfEqual(this.key, pointer.value, valueOf(mark), this.keptMs), MUTATION_STORE_WAIT_MS);
      if (kept !== false) return kept;
      // Kept by another caller between the read and the write: still this series, read again.
    }
    return undefined;
  }
}

const valueOf = (mark: number): string => `${mark}/${randomUUID()}`;

function markOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const mark = /^(\d{1,18})\//.exec(value)?.[1];
  return mark === undefined || !Number.isSafeInteger(Number(mark)) ? undefined : Number(mark);
}
