import type { Logger } from 'pino';
import type { RowLeftOut, RowListName } from '../domain/row-left-out.js';
import { LogThrottle } from '../observability/log-throttle.js';
import { filterReads, type FilterReach } from './rows-a-filter-reads.js';

/** What one list of this request left out, and where the answer showed that list. */
export interface ListLeftOut {
  provider: string;
  list: RowListName;
  instanceNativeId: string | null;
  /** Rows left out of it (a list read again in the request, after a write, counts again). */
  rows: number;
  /** The first row's reason (UnreadableNativeId's message: never the row's text). */
  reason: string;
  /**
   * Whether the list answered any row beside those left out (true once any read of it did; false
   * where every read answered none; null where no read of it was told, `answered`): its error says
   * "the others answered" only where there were others.
   */
  othersAnswered: boolean | null;
  /** The response paths of the fields that answered the list; none claimed: the error has no path. */
  paths: Array<ReadonlyArray<string | number>>;
}

/** A field's place in the answer as graphql-js links it (its `Path`), read into an array only where it is named. */
export interface AnswerPath {
  readonly prev: AnswerPath | undefined;
  readonly key: string | number;
}

interface AnsweredLater {
  list: RowListName;
  provider: string;
  instanceNativeId: string | null;
  path: AnswerPath;
}

export function pathArray(path: AnswerPath): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let place: AnswerPath | undefined = path; place !== undefined; place = place.prev) keys.push(place.key);
  return keys.reverse();
}

const keyOf = (list: RowListName, provider: string, instanceNativeId: string | null): string => `${list}\u0000${provider}\u0000${instanceNativeId ?? ''}`;

/**
 * The rows of provider lists one request left out (readable-rows.ts), so its answer says so: each
 * list an error beside the rows kept. A list that left rows out is not kept in the read cache
 * either (loaders.ts), so every answer that lacks the row says so, not only the first.
 */
export class RowsLeftOut {
  private readonly lists = new Map<string, ListLeftOut>();
  /**
   * Fields that answered a list still being read: each names its path if its list left rows out,
   * settled once the execution has ended (entries). A field of every instance waiting on its list
   * to claim it made a promise and a closure a field on every uncached dashboard, for the rare list
   * that leaves a row out.
   */
  private readonly answeredLater: AnsweredLater[] = [];
  /** Fields that read lists without showing them (an instance's protection): named only where no field showing the list is. */
  private readonly readLater: Array<Omit<AnsweredLater, 'list'> & { lists: readonly RowListName[] }> = [];

  /** The key of each row noted, in order (a mark is a length of it: listsNotedSince). */
  private readonly notedKeys: string[] = [];

  constructor(private readonly told: (row: RowLeftOut) => void) {}

  /** UpstreamScope.rowLeftOut. */
  readonly note = (row: RowLeftOut): void => {
    const key = keyOf(row.list, row.provider, row.instanceNativeId);
    this.notedKeys.push(key);
    const entry = this.lists.get(key);
    if (entry === undefined) this.lists.set(key, { provider: row.provider, list: row.list, instanceNativeId: row.instanceNativeId, rows: 1, reason: row.reason, othersAnswered: null, paths: [] });
    else entry.rows += 1;
    this.told(row);
  };

  /** Whether any list of this request left rows out (the common answer, no: checked before any other work). */
  get any(): boolean {
    return this.lists.size > 0;
  }

  /** How many rows this request has noted so far: a mark for listsNotedSince. */
  get rowsNoted(): number {
    return this.notedKeys.length;
  }

  /** The keys of the lists rows were noted of since `mark` (rowsNoted then), each once. */
  protected listsNotedSince(mark: number): Set<string> {
    return new Set(this.notedKeys.slice(mark));
  }

  /** Whether this list left rows out in this request. */
  has(list: RowListName, provider: string, instanceNativeId: string | null): boolean {
    return this.lists.size > 0 && this.lists.has(keyOf(list, provider, instanceNativeId));
  }

  /**
   * A read of this list answered `kept` rows (after those left out): told by the request's loaders
   * for each list they read while any list left rows out. It counts for the account's rows of no VM
   * too (`instanceNativeId` null): any VM's list that answered rows is the others of those.
   */
  answered(list: RowListName, provider: string, instanceNativeId: string | null, kept: number): void {
    const own = this.lists.get(keyOf(list, provider, instanceNativeId));
    if (own !== undefined) own.othersAnswered = own.othersAnswered === true || kept > 0;
    if (instanceNativeId === null) return;
    const account = this.lists.get(keyOf(list, provider, null));
    if (account !== undefined) account.othersAnswered = account.othersAnswered === true || kept > 0;
  }

  /** The field at `path` answered this list: its error names that path. */
  claim(list: RowListName, provider: string, instanceNativeId: string | null, path: ReadonlyArray<string | number>): void {
    this.lists.get(keyOf(list, provider, instanceNativeId))?.paths.push(path);
  }

  /** The field at `path` answers this list once it is read: named in the list's error if it leaves rows out. */
  answersLater(list: RowListName, provider: string, instanceNativeId: string | null, path: AnswerPath): void {
    this.answeredLater.push({ list, provider, instanceNativeId, path });
  }

  /**
   * The field at `path` read these lists of one instance without showing them (Instance.protection,
   * its verdict): named in a list's error only where no field that showed the list is. Without it,
   * a row left out of a list only a verdict read (`instance(id:) { protection }`, beside a field
   * filtered to another VM or none) was told with no path.
   */
  readByLater(lists: readonly RowListName[], provider: string, instanceNativeId: string, path: AnswerPath): void {
    this.readLater.push({ lists, provider, instanceNativeId, path });
  }

  /**
   * The field at `path` answered from these lists of every account (a root field reading across
   * accounts: `backups` its instance and backup lists, `protectionSummary` every list): each that
   * left rows out names that path. A list another field of the request read as well is named at
   * both, which says no more than is true: either answer may lack its rows. A filtered field
   * (`reach`) claims only the lists its filter read: a row of another account or VM, or of no VM
   * where it names one, is none its answer could have held.
   */
  claimLists(path: ReadonlyArray<string | number>, lists: ReadonlySet<RowListName>, reach?: FilterReach): void {
    for (const entry of this.lists.values()) if (lists.has(entry.list) && (reach === undefined || filterReads(reach, entry))) entry.paths.push(path);
  }

  /**
   * Forgets what was noted: a subscription answers each of its events with one context, and each
   * event's answer tells only the rows its own reads left out (a later one read the list again).
   */
  startOver(): void {
    this.lists.clear();
    this.answeredLater.splice(0);
    this.readLater.splice(0);
    this.notedKeys.splice(0);
  }

  entries(): ListLeftOut[] {
    for (const field of this.answeredLater.splice(0)) this.claim(field.list, field.provider, field.instanceNativeId, pathArray(field.path));
    const pathless = new Set([...this.lists.values()].filter((entry) => entry.paths.length === 0));
    for (const field of this.readLater.splice(0)) {
      for (const list of field.lists) {
        const entry = this.lists.get(keyOf(list, field.provider, field.instanceNativeId));
        if (entry !== undefined && pathless.has(entry)) entry.paths.push(pathArray(field.path));
      }
    }
    return [...this.lists.values()];
  }
}

/** A hostile provider's rows are left out on every read: one line per account and list per period says so. */
const LINE_PERIOD_MS = 60_000;

/** Reports each row left out as a throttled warn line naming the account and the list, never the row's text. */
export function rowsLeftOutLog(logger: Logger): (row: RowLeftOut) => void {
  const lines = new LogThrottle(LINE_PERIOD_MS);
  return (row) => {
    const leftOutSinceLastLine = lines.take(`${row.list}\u0000${row.provider}`);
    if (leftOutSinceLastLine === null) return;
    logger.warn(
      { provider: row.provider, list: row.list, instance: row.instanceNativeId ?? undefined, reason: row.reason, rowsLeftOutSinceLastLine: leftOutSinceLastLine },
      "a row of a provider's list was left out: its id cannot be read back (the list's other rows are answered, with an error saying so)",
    );
  };
}
