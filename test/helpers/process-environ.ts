import { readFileSync } from 'node:fs';

/**
 * The environment a running process was started with, from /proc/<pid>/environ (Linux): what
 * glibc read at its start, MALLOC_ARENA_MAX among it, whatever the parent meant to give it.
 */
export function environOf(pid: number | undefined): Record<string, string> {
  if (pid === undefined) throw new Error('no pid: the process did not start');
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}
