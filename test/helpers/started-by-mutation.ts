import { expect } from 'vitest';
import type { OperationRef } from '../../src/domain/types.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { Harness } from './harness.js';

/** An operation a mutation of the gateway answered: its id, and that id decoded. */
export interface Started {
  id: string;
  ref: OperationRef;
}

/** Runs a mutation answering one operation (`input` as its `$input`), which must be RUNNING. */
export async function mutate(harness: Harness, query: string, input: Record<string, unknown>): Promise<Started> {
  const answer = await harness.gql<Record<string, { operation: { id: string; status: string } }>>(query, { input });
  expect(answer.errors).toBeUndefined();
  const { operation } = Object.values(answer.data!)[0]!;
  expect(operation.status).toBe('RUNNING');
  return { id: operation.id, ref: decodeOperationId(operation.id) };
}

/** `template` (an operation of the gateway's) with its job or task swapped for `other`'s. */
export const around = (template: OperationRef, other: OperationRef): string => operationId({ ...template, token: [other.token[0]!, ...template.token.slice(1)] });
