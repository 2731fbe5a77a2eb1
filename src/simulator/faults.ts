/**
 * Misbehaviours every simulator can be told to show, so the gateway's
 * handling of a bad provider is tested the same way for every kind.
 */
export const FAULT_MODES = [
  'none',
  /** Connection refused: the simulator stops listening. */
  'down',
  /** Answers, but only after `slowMs`. */
  'slow',
  /**
   * The real answer, as it was when the request arrived, sent `slowMs` later:
   * a read that straddles a change at the provider (the answer is stale by the
   * time it lands).
   */
  'late',
  /** 500 with a plain-text body. */
  'http-500',
  /** 503 with a plain-text body. */
  'http-503',
  /** 401 with a plain-text body: the credentials refused, as a provider or a proxy in front of it says. */
  'http-401',
  /** 403 with a plain-text body. */
  'http-403',
  /** 429 with a Retry-After header. */
  'rate-limit',
  /** 200, JSON content type, body that is not valid JSON. */
  'malformed-json',
  /** Promises a longer body than it sends, then closes the connection. */
  'truncated',
  /** A status line and then more header lines than any HTTP client reads (undici stops at 16 KiB). */
  'header-flood',
  /** An answer that is not HTTP: a status line with no status code, as a service of another protocol on the port sends. */
  'not-http',
  /**
   * 404 with an HTML page, as a web server answers a path it routes to nothing (an account url
   * pointing past the API, a proxy's route lost): not the provider's own 404 about a missing object.
   */
  'not-found-page',
  /**
   * 404 with a web framework's generic JSON error, `{"status":404,"error":"Not Found"}`, as a Rails
   * API or a Spring Boot app answers a path it routes to nothing: JSON, but not the provider's own.
   */
  'not-found-json',
  /** 502 with an HTML error page, as a proxy in front of a provider would send. */
  'html-error',
  /** 200 with a JSON-looking body sent as text/html. */
  'wrong-content-type',
  /**
   * 301 with an empty body and a Location that carries credentials, as an
   * HTTP -> HTTPS redirect in front of a provider sends: no answer, and the
   * Location must not reach a client.
   */
  'redirect',
  /** 302 with a JSON body (`[]`), which reads like an empty list if taken as an answer. */
  'redirect-json',
  /** 200, JSON content type, an empty body: no list, not an empty one. */
  'empty-body',
  /** The real answer's headers at once, then its body one byte per `trickleIntervalMs`: no idle timer ever trips. */
  'trickle',
  /**
   * An error in the provider's own shape that quotes back the credentials the
   * request carried (headers, form fields, login body), as providers have
   * been seen to do: the gateway must scrub them from everything it passes on.
   */
  'echo',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSettings {
  mode: FaultMode;
  /** For 'slow' and 'late'. */
  slowMs?: number;
  /** For 'trickle': the pause between two bytes of the body (default 1000). */
  trickleIntervalMs?: number;
  /** For 'rate-limit'. */
  retryAfterSeconds?: number;
  /**
   * For 'echo': the credentials quoted behind escapes inside escapes (see
   * `withNestedEscapes`), which the scrubber must read through.
   */
  nestedEscapes?: boolean;
  /**
   * For 'echo': each run of letters and digits the answer quotes (the credentials with it) cut every
   * 7 characters by this text (see `withWordsCut`), as a joiner behind escapes the scrubber must read.
   */
  wordsCutBy?: string;
  /** Answer this many requests with the fault, then behave again; unlimited when absent. */
  times?: number;
  /**
   * Only requests with this label get the fault. The request is handled first
   * (the handler names it), so a write still happens before its answer is
   * replaced: the worst case for a client, as a provider that did the work
   * and then failed to say so.
   */
  onlyLabel?: string;
  /**
   * Only requests with this method and path (`POST /backups/7/restore.json`) get the fault, and
   * before their handler runs: a write that never happened, though its answer is as lost as one
   * cut after it (onlyLabel). Not with onlyLabel.
   */
  onlyRequest?: string;
}
