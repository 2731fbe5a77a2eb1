import { expect } from 'vitest';
import { ESDC_CE_CREATE_DETAIL, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { eventually, startHarness, type Harness, type HarnessOptions } from './harness.js';

/** Creates of a current esdc-ce (its finished task names no backup), asked over HTTP; see danube-create-finding.test.ts. */

export interface Node {
  id: string;
  nativeId: string;
}

export const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } backup { name } } }';
export const FOLLOW = 'query($id: ID!) { operation(id: $id) { status error backup { name diskId } } }';

export interface Created {
  createBackup: { operation: { id: string; status: string; providerOperationId: string | null }; backup: { name: string } | null };
}
export interface Followed {
  operation: { status: string; error: string | null; backup: { name: string; diskId: string } | null };
}
export type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<{ data?: T | null; errors?: unknown }>;

/** A Danube harness playing a current esdc-ce, and its VMs. */
export async function danubeHarness(options: Pick<HarnessOptions, 'store'> = {}): Promise<{ harness: Harness; simulator: DanubeSimulator; nodes: Node[] }> {
  const harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 }, ...options });
  const simulator = harness.simulator('danube').simulator as DanubeSimulator;
  simulator.createDetail = ESDC_CE_CREATE_DETAIL;
  const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
  expect(answer.errors).toBeUndefined();
  return { harness, simulator, nodes: answer.data!.instances.edges.map((edge) => edge.node) };
}

/** Starts a daily create on `node` whose task runs until the test finishes or forgets it. */
export async function startCreate(ask: Ask, node: Node, note: string): Promise<{ id: string; taskId: string }> {
  const answer = await ask<Created>(CREATE, { input: { instanceId: node.id, name: note, definitionName: 'daily' } });
  expect(answer.errors).toBeUndefined();
  const { id, status, providerOperationId } = answer.data!.createBackup.operation;
  expect(status).toBe('RUNNING');
  return { id, taskId: providerOperationId! };
}

export async function readOperation(ask: Ask, id: string): Promise<Followed['operation'] | undefined> {
  const answer = await ask<Followed>(FOLLOW, { id });
  expect(answer.errors).toBeUndefined();
  return answer.data?.operation;
}

export const finished = (ask: Ask, id: string) => eventually(() => readOperation(ask, id), (operation) => operation?.status !== 'RUNNING');
export const madeWithNote = (simulator: DanubeSimulator, node: Node, note: string): string => String(simulator.backups.find((backup) => backup.hostname === node.nativeId && backup.note === note)!.name);
/** The definition's next run, a second later than anything the create made. */
export const runDailyAgain = (simulator: DanubeSimulator, node: Node) => simulator.runDefinition(node.nativeId, 'daily', 1, new Date(Date.now() + 1000));
