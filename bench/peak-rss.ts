/**
 * A process's own peak resident set: the kernel's high-water mark of its
 * address space (VmHWM in /proc/<pid>/status).
 *
 * Not `process.resourceUsage().maxRSS` (getrusage's ru_maxrss): for a forked
 * child that is also the resident set of the parent it was forked from, as
 * the kernel records the pre-exec copy's high-water mark at exec. A gateway
 * forked by `npm run bench` after the four-provider phases reported the
 * bench process's own RSS there whenever that was the larger.
 */
import { readFileSync } from 'node:fs';

/** VmHWM, in bytes, from the text of a /proc/<pid>/status. */
export function highWaterMarkBytes(status: string): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error('no VmHWM line in this /proc status (not Linux?)');
  return Number(match[1]) * 1024;
}

/** The peak RSS of process `pid` (this one by default) since it exec'd, in bytes. */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  return highWaterMarkBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}
