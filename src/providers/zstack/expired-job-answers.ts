/** Job uuids whose last 404 verdict is kept: a few dozen bytes each, the oldest dropped first. */
const VERDICTS_KEPT = 1_000;

/**
 * Whether each job poll's last 404 carried ZStack's own words for an expired job (isExpiredJobAnswer),
 * by job uuid. The upstream client reads an answer's text only in its `ownNotFound` test, and hands
 * the caller the parsed body, which is null for ZStack's plain words and a web server's page alike:
 * read by its status alone, a proxy's 404 to a poll was an expired job (a restore FAILED "no longer
 * knows this job", a delete SUCCEEDED by absence). Polls of one job in flight at once share one
 * request (the read coalescer), whose test only the first ran: each reads the verdict here, written
 * before any of them is answered.
 */
export class ExpiredJobAnswers {
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly kept = VERDICTS_KEPT) {}

  /** The verdict of a 404 to `jobUuid`'s poll, kept and handed back (an `ownNotFound` test). */
  heard(jobUuid: string, expired: boolean): boolean {
    this.verdicts.delete(jobUuid);
    this.verdicts.set(jobUuid, expired);
    if (this.verdicts.size > this.kept) this.verdicts.delete(this.verdicts.keys().next().value as string);
    return expired;
  }

  /** Whether the last 404 to `jobUuid`'s poll was ZStack's expired job; false for one not heard (or dropped). */
  said(jobUuid: string): boolean {
    return this.verdicts.get(jobUuid) === true;
  }
}
