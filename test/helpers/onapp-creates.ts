import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { eventually, type GraphQLAnswer, type Harness } from './harness.js';

/**
 * What the tests of OnApp creates share: OnApp answers a create with no
 * record, so each test makes creates, follows their operations to the end
 * and compares the backups they report with the simulator's.
 */
export const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
export const OPERATION = 'query($id: ID!) { operation(id: $id) { status error backup { nativeId } } }';
export const BACKUP_LIST = 'GET /virtual_machines/:id/backups.json';

export interface Created {
  createBackup: { operation: { id: string } } | null;
}
export interface Polled {
  operation: { status: string; error: string | null; backup: { nativeId: string } | null };
}

/** A GraphQL request to one gateway (the harness's, or a second one's). */
export type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;

export async function instanceIds(harness: Harness): Promise<Array<{ id: string; nativeId: string }>> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
  return answer.data!.instances.edges.map((edge) => edge.node);
}

/** The operation's backup once it has finished. */
export async function finishedBackup(ask: Ask, operationId: string): Promise<Polled['operation']> {
  const polled = await eventually(
    () => ask<Polled>(OPERATION, { id: operationId }),
    (answer) => answer.data?.operation.status === 'SUCCEEDED' || answer.data?.operation.status === 'FAILED',
    { timeoutMs: 5_000 },
  );
  return polled.data!.operation;
}

/** The simulator's backup ids of one VM above `above`. */
export const backupIdsOf = (simulator: OnappSimulator, vmNativeId: string, above: number): string[] =>
  [...simulator.backups.values()].filter((backup) => backup.vmId === Number(vmNativeId) && backup.id > above).map((backup) => String(backup.id));

export const highestBackupId = (simulator: OnappSimulator): number => Math.max(...simulator.backups.keys());

/**
 * Both creates read the backup list before either one's POST: each list
 * answer is the list as it was on arrival, sent `slowMs` later.
 */
export const listsBeforeEitherPost = (harness: Harness, slowMs = 400) => harness.simulator('onapp').server.setFault({ mode: 'late', onlyLabel: BACKUP_LIST, slowMs, times: 2 });
