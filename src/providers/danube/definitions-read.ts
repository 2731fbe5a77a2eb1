import { appendToGroup } from '../../domain/arrays.js';
import type { BackupDefinition } from '../../domain/types.js';
import { mapRows } from '../../domain/turns.js';
import { idText, UnreadableNativeId } from '../native-id.js';
import { RowsLeftOutByVm } from '../rows-left-out-by-vm.js';
import { NO_VM, RowsOfNoVm, vmIdOrNoVm } from '../rows-of-no-vm.js';
import { mapDefinition } from './mapper.js';

/** The account's definitions by VM hostname, and the rows left out for an unreadable name or hostname. */
export interface DefinitionsRead {
  byVm: Map<string, BackupDefinition[]>;
  leftOut: RowsLeftOutByVm;
  noVm: RowsOfNoVm;
}

/**
 * Reads `vm.define.backup.list_all`. A definition whose own name the gateway cannot read back is
 * left out and kept for the lists of its VM (its definitions, its schedules): one such row failed
 * every VM's definitions and schedules of the account. A row whose hostname (its VM's id) cannot be
 * read back is left out of every VM's lists (`noVm`): it is no VM's a client can name (that VM is
 * left out of the instance list, reported there), and it failed the read whole. A row without a
 * hostname still fails it: the answer is not what the mapper reads (native-id.ts).
 */
export async function readDefinitions(providerId: string, rows: readonly Record<string, unknown>[]): Promise<DefinitionsRead> {
  const leftOut = new RowsLeftOutByVm();
  const noVm = new RowsOfNoVm();
  const mapped = await mapRows(rows, (row): BackupDefinition | null => {
    const hostname = vmIdOrNoVm(row.hostname, providerId, noVm, idText);
    if (hostname === NO_VM) return null;
    try {
      return mapDefinition(providerId, row);
    } catch (error) {
      if (!(error instanceof UnreadableNativeId)) throw error;
      leftOut.add(hostname, error.message);
      return null;
    }
  });
  const byVm = new Map<string, BackupDefinition[]>();
  for (const definition of mapped) if (definition !== null) appendToGroup(byVm, definition.instanceNativeId, definition);
  return { byVm, leftOut, noVm };
}
