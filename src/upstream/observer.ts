/** What the upstream client reports about each request; metrics implement it. */
export interface UpstreamObserver {
  requestFinished(event: {
    provider: string;
    kind: string;
    operation: string;
    /** "ok", an error code, or "http_<status>" for statuses the caller interprets. */
    outcome: string;
    seconds: number;
  }): void;
  breakerStateChanged(event: { provider: string; state: 'closed' | 'open' | 'half-open' }): void;
  /** Issue 14: a read that joined an identical one already in flight (no upstream request of its own). */
  readCoalesced?(event: { provider: string; kind: string; operation: string }): void;
}

export const noopUpstreamObserver: UpstreamObserver = {
  requestFinished: () => {},
  breakerStateChanged: () => {},
};
