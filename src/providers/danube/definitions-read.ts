import { appendToGroup } from '../../domain/arrays.js';
import type { BackupDefinition } from '../../domain/types.js';
import { mapRows } from '../../domain/turns.js';
import { idText, UnreadableNativeId } from '../native-id.js';
import { RowsLeftOutByVm } from '../rows-left-out-by-vm.js';
import { mapDefinition } from './mapper.js';

/** The account's definitions by VM hostname, and the rows left out for an unreadable name. */
export interface DefinitionsRead {
  byVm: Map<string, BackupDefinition[]>;
  leftOut: RowsLeftOutByVm;
}

/**
 * Reads `vm.define.backup.list_all`. A definition whose own name the gateway cannot read back is
 * left out and kept for the lists of its VM (its definitions, its schedules): one such row failed
 * every VM's definitions and schedules of the account. A row whose hostname (its VM's id) cannot be
 * read still fails the read whole: it names no VM to report it on, and that VM is left out of the
 * instance list anyway (reported there).
 */
export async function readDefinitions(providerId: string, rows: readonly Record<string, unknown>[]): Promise<DefinitionsRead> {
  const leftOut = new RowsLeftOutByVm();
  const mapped = await mapRows(rows, (row): BackupDefinition | null => {
    const hostname = idText(row.hostname, providerId);
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
  return { byVm, leftOut };
}
