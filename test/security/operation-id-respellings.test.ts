import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { danubeHarness, startCreate, type Node } from '../helpers/danube-creates.js';
import { errorCodes, type Harness } from '../helpers/harness.js';

const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';

/** The id spelt as base64 another way: padded, in standard base64, with a letter's case turned, a stray bit in its last character. */
function respellings(id: string): string[] {
  const turned = id.replace(/[a-z]/, (letter) => letter.toUpperCase());
  const last = id.at(-1)!;
  const strayBit = id.slice(0, -1) + (last === 'A' ? 'B' : String.fromCharCode(last.charCodeAt(0) ^ 1));
  return [`${id}=`, `${id}==`, Buffer.from(id, 'base64url').toString('base64'), turned, strayBit, ` ${id}`, `${id}\n`].filter((spelt) => spelt !== id);
}

/**
 * Attacks on operation ids resting on the started record (Danube: a cancel revokes a real task):
 * a real id re-encoded to dodge the record lookup, and one written around the real task under
 * another VM. All held: a re-spelling is no id the gateway made (BAD_USER_INPUT, nothing asked of
 * Danube), and an id around the task is NOT_FOUND for a cancel with nothing sent.
 */
describe('operation ids re-spelt or written around a real task', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let started: { id: string; taskId: string };
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    simulator.asyncDelayMs = 10 * 60_000;
    started = await startCreate(harness.gql.bind(harness), nodes[0]!, 'respelt');
  });
  afterAll(() => harness.close());

  it('a re-spelt id is BAD_USER_INPUT to a read, a node lookup and a cancel, and nothing reaches Danube', async () => {
    for (const spelt of respellings(started.id)) {
      harness.resetUpstreamLogs();
      for (const query of [OPERATION, NODE, CANCEL]) {
        const answer = await harness.gql(query, { id: spelt });
        const codes = errorCodes(answer);
        expect({ spelt, query, ok: codes.length > 0 && codes.every((code) => code === 'BAD_USER_INPUT') }).toEqual({ spelt, query, ok: true });
      }
      expect({ spelt, calls: harness.upstreamCount('danube') }).toEqual({ spelt, calls: 0 });
    }
  });

  it('an id around the real task under another VM is NOT_FOUND to a cancel, nothing revoked, and the real one still RUNNING', async () => {
    const real = decodeOperationId(started.id);
    const other = nodes.find((node) => node.nativeId !== real.instanceNativeId)!;
    harness.resetUpstreamLogs();
    const forged = operationId({ ...real, instanceNativeId: other.nativeId });
    expect(errorCodes(await harness.gql(CANCEL, { id: forged }))).toEqual(['NOT_FOUND']);
    expect(harness.upstreamCount('danube')).toBe(0);
    const read = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: started.id });
    expect(read.data?.operation.status).toBe('RUNNING');
  });
});
