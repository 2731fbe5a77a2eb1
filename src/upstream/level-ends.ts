/**
 * Where a reading of escapes inside escapes (escaped-joiners.ts) ended, by the place one of its
 * levels starts, the marker it was read as and the URL encodings it was read through: a level's
 * reading and all below it depend on those alone, so a reading that meets a level already read
 * takes its end from here instead of reading on. Without it, each marker inside a run of levels
 * that hold one (`\u005c\u005c...`) is a place the reading starts again and reads to the run's end:
 * the square of a hostile run's length. With it each level is read once, from whichever start.
 */
export class LevelEnds {
  /**
   * Per place of the text, its level's slot plus one (0: none remembered). Made at the first level
   * remembered, which only a reading deeper than KEPT_FROM_DEPTH makes (a hostile text): a Map of
   * them cost some 1 µs a level, four times the level's reading.
   */
  private slots: Int32Array | null = null;
  /** Per slot, in fours: the marker the level was read as, its URL encodings, where the reading ended and what it read as. */
  private readonly levels: number[] = [];

  constructor(private readonly length: number) {}

  /** Where the reading of the level at `from` ended (its code in `out[0]`), or -1 where it was not read so. */
  endOf(from: number, marker: number, percents: number, out: Int32Array): number {
    if (this.slots === null) return -1;
    const slot = (this.slots[from] as number) - 1;
    if (slot < 0 || this.levels[slot] !== marker || this.levels[slot + 1] !== percents) return -1;
    out[0] = this.levels[slot + 3] as number;
    return this.levels[slot + 2] as number;
  }

  /** A level read again (as another marker, through other encodings) takes a new slot: the last reading is the one the next start meets. */
  remember(from: number, marker: number, percents: number, end: number, code: number): void {
    this.slots ??= new Int32Array(this.length + 1);
    this.slots[from] = this.levels.length + 1;
    this.levels.push(marker, percents, end, code);
  }
}

/** Levels holding a marker a reading goes through before they are remembered: readings as deep as this, each from every start, cost a bounded multiple of the text. */
export const KEPT_FROM_DEPTH = 3;
