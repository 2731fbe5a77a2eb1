import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * deploy/host.config.yaml (the plain-host replicas' config) for a test run, as shipped but for
 * its one account id. Its id `zomro-nl` is in every Redis key of that account (the read cache,
 * operation ids, places): two test files running it at the same moment against one Redis read
 * each other's cached lists. The copy gives a run a key space of its own;
 * `expectOnlyAccountIdChanged` shows it differs from the shipped file in that id alone.
 */
export const HOST_CONFIG = fileURLToPath(new URL('../../deploy/host.config.yaml', import.meta.url));

/** The account id the shipped file names. */
export const SHIPPED_ACCOUNT_ID = 'zomro-nl';

/** The shipped file's account entry, as its first keys are written there. */
const ACCOUNT_ENTRY = new RegExp(`^(\\s*- \\{ id: )${SHIPPED_ACCOUNT_ID}(, kind: zomro,)`, 'm');

/** An account id of a run's own (ids are [a-z0-9-]+, at most 64 characters). */
export const runAccountId = (): string => `${SHIPPED_ACCOUNT_ID}-${randomUUID().slice(0, 8)}`;

/** Writes the shipped file with its account id replaced by `accountId` to `directory`; returns the copy's path. */
export function hostConfigWithAccount(directory: string, accountId: string): string {
  const shipped = readFileSync(HOST_CONFIG, 'utf8');
  if (!ACCOUNT_ENTRY.test(shipped)) throw new Error(`${HOST_CONFIG}: no account entry "- { id: ${SHIPPED_ACCOUNT_ID}, kind: zomro, ..." to give a run's own id`);
  const copy = join(directory, 'host.config.yaml');
  writeFileSync(copy, shipped.replace(ACCOUNT_ENTRY, `$1${accountId}$2`));
  return copy;
}

/** Expects `copy` to be the shipped file with `accountId` in place of the shipped account id, and nothing else changed. */
export function expectOnlyAccountIdChanged(copy: string, accountId: string): void {
  const shipped = readFileSync(HOST_CONFIG, 'utf8').split('\n');
  const copied = readFileSync(copy, 'utf8').split('\n');
  expect(copied).toHaveLength(shipped.length);
  const changed = shipped.flatMap((line, index) => (line === copied[index] ? [] : [[line, copied[index]]]));
  expect(changed).toHaveLength(1);
  const [[shippedLine, copiedLine]] = changed as [[string, string]];
  expect(shippedLine).toContain(`{ id: ${SHIPPED_ACCOUNT_ID}, `);
  expect(copiedLine).toBe(shippedLine.replace(`{ id: ${SHIPPED_ACCOUNT_ID}, `, `{ id: ${accountId}, `));
}
