import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDirs {
  /** A new directory under the system's temp directory, its name starting with `prefix`. */
  make(prefix: string): string;
  /** Removes every directory `make` made, with all in it. */
  removeAll(): void;
}

/**
 * The temporary directories of one test file, removed in its afterAll: left
 * behind, every run of the suite added a dozen more to /tmp.
 */
export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    make(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
