import { badInput, isGatewayError, notFound } from '../domain/errors.js';
import type { Instance, Operation } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { decodeInstanceId } from './ids.js';
import { checkName, checkText } from './input-checks.js';
import { requireRole } from './principal.js';
import { requireCapability } from './provider-set.js';
import type { RequestReads } from './request-reads.js';
import { writeOnListed } from './listed-target.js';
import { createBackupFields } from '../providers/input-fields.js';

export const DEFAULT_MAX_BULK_INSTANCES = 100;

/** One instance's answer: the operation started, or why not (code as in a single call). */
export interface BulkItemResult {
  instanceId: string;
  operation: Operation | null;
  error: { code: string; message: string } | null;
}

/** Plain data (no adapters), so an idempotent replay can store and return it. */
export interface CreateBackupsResult {
  results: BulkItemResult[];
  createdCount: number;
  failedCount: number;
}

export interface CreateBackupsInput {
  instanceIds: readonly string[];
  name: string;
  definitionName?: string | null;
  note?: string | null;
}

type Target = { instanceId: string; adapter: ProviderAdapter; nativeId: string };

/**
 * One backup per instance, across providers. Whole-request checks first (role,
 * list size, repeats, name), before any upstream call; then each instance is
 * checked and started on its own, so a refusal (NOT_FOUND, UNSUPPORTED, a
 * provider error) is one item's answer and hides none of the others. Calls go
 * out at once: each account's upstream bulkhead caps how many run together.
 */
export async function createBackups(reads: RequestReads, input: CreateBackupsInput): Promise<CreateBackupsResult> {
  requireRole(reads.principal, 'operator', 'createBackups');
  reads.shared.secretText.refuseHeld(reads.principal, reads.secretTextCounts);
  const max = reads.shared.options.maxBulkInstances ?? DEFAULT_MAX_BULK_INSTANCES;
  if (input.instanceIds.length === 0) throw badInput('instanceIds must name at least one instance');
  if (input.instanceIds.length > max) throw badInput(`instanceIds may name at most ${max} instances (limits.maxBulkInstances)`);
  const repeated = firstRepeat(input.instanceIds);
  if (repeated !== undefined) {
    // The README's "<id>" placeholders pasted as they are repeat too: told as malformed, as one alone is.
    decodeInstanceId(repeated, 'instanceIds');
    throw badInput('instanceIds must not repeat an instance');
  }
  const name = checkName(input.name, 'name');
  const definitionName = input.definitionName == null ? null : checkName(input.definitionName, 'definitionName');
  const note = checkText(input.note, 'note');
  // Before any look-up: every account's secrets, whichever accounts the instances are at (secret-text.ts).
  await reads.shared.secretText.check(reads.principal, reads.requestId, 'createBackups', [['name', name], ['definitionName', definitionName], ['note', note]], reads.secretTextCounts);

  // Every instance is looked up before any create: an id re-spelt to name an instance another item
  // names (a Danube hostname in another case, RequestReads.listedInstanceId) is known only then.
  const items = await Promise.all(input.instanceIds.map((instanceId) => lookedUp(reads, instanceId, definitionName)));
  const claimed = new Set<string>();
  const results = await Promise.all(
    items.map(async (item): Promise<BulkItemResult> => {
      if (!('instance' in item)) return item;
      const { instanceId, adapter, instance } = item;
      // Claimed in the items' order, before any of them waits: the first spelling makes the backup.
      const key = JSON.stringify([instance.providerId, instance.nativeId]);
      if (claimed.has(key)) return refused(reads, instanceId, badInput(REPEATED_INSTANCE));
      claimed.add(key);
      try {
        return { instanceId, operation: await start(reads, adapter, instance, name, definitionName, note), error: null };
      } catch (error) {
        return refused(reads, instanceId, error);
      }
    }),
  );
  const createdCount = results.filter((result) => result.operation).length;
  return { results, createdCount, failedCount: results.length - createdCount };
}

function firstRepeat(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

/** Said of an item whose id names the instance an earlier item names, spelt otherwise. */
export const REPEATED_INSTANCE = 'instanceIds names this instance again, under another spelling of its id (a Danube hostname in another case): one backup is made of it, by the first item naming it';

/** An item's instance, looked up as a single createBackup looks it up; or its refusal. */
async function lookedUp(reads: RequestReads, instanceId: string, definitionName: string | null): Promise<{ instanceId: string; adapter: ProviderAdapter; instance: Instance } | BulkItemResult> {
  try {
    const target = targetOf(reads, instanceId);
    // As a single createBackup: a definitionName the item's provider refuses whatever the VM is that
    // item's BAD_USER_INPUT before any call (it went to Danube, and came back NOT_FOUND quoting it).
    target.adapter.refuseInput?.(createBackupFields({ definitionName }));
    const instance = await reads.instanceByNativeId(target.adapter.account.id, target.nativeId);
    if (!instance) throw notFound('instance', target.adapter.account.id);
    return { instanceId, adapter: target.adapter, instance };
  } catch (error) {
    return refused(reads, instanceId, error);
  }
}

/** An item's refusal: a GatewayError's code and words, anything else logged and told as internal. */
function refused(reads: RequestReads, instanceId: string, error: unknown): BulkItemResult {
  if (!isGatewayError(error)) reads.shared.logger.error({ err: error, requestId: reads.requestId }, 'createBackups item failed');
  return { instanceId, operation: null, error: isGatewayError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } };
}

/** Checked without an upstream call, like a single createBackup: id, visibility (NOT_FOUND), capability (UNSUPPORTED). */
function targetOf(reads: RequestReads, instanceId: string): Target {
  const { providerId, nativeId } = decodeInstanceId(instanceId, 'instanceIds');
  const adapter = reads.provider(providerId);
  requireCapability(adapter, 'CREATE_BACKUP');
  return { instanceId, adapter, nativeId };
}

async function start(reads: RequestReads, adapter: ProviderAdapter, instance: Instance, name: string, definitionName: string | null, note: string | null): Promise<Operation> {
  // Only Danube runs a definition; elsewhere it would be a name that means nothing.
  const definition = adapter.capabilities.has('LIST_DEFINITIONS') ? definitionName : null;
  const operation = await writeOnListed(adapter.account.id, () => adapter.createBackup({ instance, name, diskId: null, definitionName: definition, note }, reads.scope));
  await reads.shared.startedOperations.started(operation);
  await reads.invalidation.forgetInstance(instance.providerId, instance.nativeId);
  return operation;
}

/**
 * A createBackups answer as this request's key may see it now. A replay
 * (same idempotencyKey within 24 h) returns the answer recorded then; an
 * item whose account the key no longer sees (its `providers` narrowed, the
 * account removed) would still name that account's operation, or quote its
 * refusal ("Backup definition not found": the instance is there). Such an
 * item reads as a fresh call would answer it: NOT_FOUND, no operation; the
 * counts follow the items. A fresh answer passes unchanged: its items were
 * judged by the same scope.
 */
export function asSeenBy(reads: RequestReads, answer: CreateBackupsResult): CreateBackupsResult {
  let hidden = 0;
  let changed = false;
  const results = answer.results.map((item): BulkItemResult => {
    const refusal = scopeRefusal(reads, item.instanceId);
    if (refusal === null || (item.error?.code === refusal.code && item.error.message === refusal.message)) return item;
    if (item.operation) hidden += 1;
    changed = true;
    return { instanceId: item.instanceId, operation: null, error: refusal };
  });
  return changed ? { results, createdCount: answer.createdCount - hidden, failedCount: answer.failedCount + hidden } : answer;
}

/** NOT_FOUND where the key cannot see the id's account; null where it can, or where the id is no instance id (its item was refused for that when recorded, as it would be now). */
function scopeRefusal(reads: RequestReads, instanceId: string): { code: string; message: string } | null {
  let providerId: string;
  try {
    providerId = decodeInstanceId(instanceId, 'instanceIds').providerId;
  } catch {
    return null;
  }
  try {
    reads.provider(providerId);
    return null;
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}
