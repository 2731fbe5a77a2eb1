import { type JoinersRead, readEscapedJoiners } from './escaped-joiners.js';

/**
 * The characters every escape readEscapedJoiners reads starts with: `%XX`, a backslash escape and
 * an HTML reference (its escapes are found from these markers alone).
 */
export const ESCAPE_MARKERS = ['%', '\\', '&'] as const;

/**
 * `readEscapedJoiners(text)`, without asking it of a text holding none of ESCAPE_MARKERS, which it
 * reads as nothing (null) all the same. Nearly every provider answer is such a text, and the
 * search still made some 1.3 KB of garbage on each (its result arrays, its closures, a typed
 * array): a dashboard's 257 answers scrubbed made ~330 KiB of it (docs/benchmark-history.md, perf22).
 */
export function joinersRead(text: string): JoinersRead | null {
  for (const marker of ESCAPE_MARKERS) if (text.includes(marker)) return readEscapedJoiners(text);
  return null;
}
