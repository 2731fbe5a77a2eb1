import type { ProviderFailure } from '../domain/connection.js';

/** A VM's own list that failed while a root field answered its account's other VMs: told at the field's path. */
export interface InstanceListFailedAt {
  path: ReadonlyArray<string | number>;
  failure: ProviderFailure;
}

/**
 * The VMs' lists a root field answered without (RequestReads.backups keeps an account's other VMs
 * where one VM's list fails): each becomes an error at the field's path beside the rows answered
 * (jit-executor.ts), as `instances { backups }` has one at that VM's path.
 */
export class InstanceListsFailed {
  private readonly failed: InstanceListFailedAt[] = [];

  /** The field at `path` answered with these providerErrors: those of VMs' lists are told there. */
  claim(path: ReadonlyArray<string | number>, providerErrors: readonly ProviderFailure[]): void {
    for (const failure of providerErrors) if (failure.instanceId !== undefined || failure.moreInstances !== undefined) this.failed.push({ path, failure });
  }

  get any(): boolean {
    return this.failed.length > 0;
  }

  entries(): readonly InstanceListFailedAt[] {
    return this.failed;
  }
}
