import type { RowListName } from '../domain/row-left-out.js';
import { RowsLeftOut, pathArray, type AnswerPath, type ListLeftOut } from './rows-left-out.js';

/** As RowsLeftOut keys its lists (not exported there). */
const keyOf = (list: RowListName, provider: string, instanceNativeId: string | null): string => `${list}\u0000${provider}\u0000${instanceNativeId ?? ''}`;

/**
 * `RowsLeftOut`, told of lookups by id of a row of an instance's list (`backup(id)`, `node`,
 * `_entities`, a mutation's backup). A lookup reads its instance's whole list, and a row left out
 * of it (an id the gateway cannot read back) was told of with no path: an error beside a lookup
 * that answered the row asked, which many clients take as the query's failure. That row cannot be
 * the one found (the lists hold each id once), so a list read only by lookups that found their
 * rows says nothing. A lookup that found nothing keeps the error: the row asked may be the one
 * left out. A field that showed the list still has it at its path.
 */
export class RowsLeftOutBesideLookups extends RowsLeftOut {
  /** Per list looked in: whether every lookup in it found its row. */
  private readonly lookedUp = new Map<string, boolean>();
  /** Mutations that answered, each with the lists whose rows were noted while it ran. */
  private readonly written: Array<{ lists: Set<string>; path: AnswerPath }> = [];

  /**
   * The mutation at `path` answered, and read these lists while it ran (since `mark`, rowsNoted
   * before it): a list left unnamed by every other field, and not silenced by lookups that found
   * their rows (the mutation's own backup), names its path. An adapter reads lists inside a write
   * (Zomro finds the schedule it made in the VM's schedules): a row left out there was told with no path.
   */
  wroteAfter(mark: number, path: AnswerPath): void {
    if (this.rowsNoted > mark) this.written.push({ lists: this.listsNotedSince(mark), path });
  }

  /** A lookup by id read this instance's list (the account's, `instanceNativeId` null), and found the row it asked for or not. */
  lookedUpIn(list: RowListName, provider: string, instanceNativeId: string | null, found: boolean): void {
    // The common answer: the list left nothing out, and there is nothing to keep quiet.
    if (!this.has(list, provider, instanceNativeId)) return;
    const key = keyOf(list, provider, instanceNativeId);
    this.lookedUp.set(key, found && this.lookedUp.get(key) !== false);
  }

  override startOver(): void {
    super.startOver();
    this.lookedUp.clear();
    this.written.splice(0);
  }

  override entries(): ListLeftOut[] {
    const all = super.entries();
    const entries = this.lookedUp.size === 0 ? all : all.filter((entry) => entry.paths.length > 0 || this.lookedUp.get(keyOf(entry.list, entry.provider, entry.instanceNativeId)) !== true);
    const pathless = entries.filter((entry) => entry.paths.length === 0);
    for (const { lists, path } of this.written.splice(0)) {
      const keys = pathArray(path);
      for (const entry of pathless) if (lists.has(keyOf(entry.list, entry.provider, entry.instanceNativeId))) entry.paths.push(keys);
    }
    return entries;
  }
}
