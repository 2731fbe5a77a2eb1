import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operationId } from '../../src/gateway/ids.js';
import type { OperationRef } from '../../src/domain/types.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';

/**
 * Task ids a client wrote into an operation id by re-encoding it. Each is no Danube task id
 * (esdc-ce's are ASCII letters, digits and hyphens), yet each went out as
 * `PUT /task/<it>/cancel`: a `;` a router may cut the path at, a `,`, an escape a proxy that
 * decodes twice reads as `/` or `..`, a newline, full-width dots, a word of several kinds.
 */
const CRAFTED = ['a;b', '1,2', '%2F', '%2e%2e', '..%2f..%2fvm%2fweb01', 'x\nsok=ok', 'x\r\nX-Evil: 1', '．．', 'ａ＆ｂ', '&sok=ok', 'a b', '-rf'];

describe('danube: task ids a client crafted into an operation id', () => {
  let harness: Harness;
  const ref = (taskId: string): OperationRef => ({
    providerId: 'danube-test',
    kind: 'DELETE_BACKUP',
    startedAt: new Date(Date.now() - 1000),
    instanceNativeId: 'web01.example.com',
    backupNativeId: 'daily-1',
    token: [taskId],
  });
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const sent = () => harness.simulator('danube').server.log.map((request) => `${request.method} ${request.rawPath}`);

  // A cancel is refused first for naming no operation the gateway started (forged-operation-ids.test.ts).
  it.each(CRAFTED)('cancelOperation of task %j is NOT_FOUND, and nothing reaches Danube', async (taskId) => {
    const answer = await harness.gql(CANCEL, { id: operationId(ref(taskId)) });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(sent()).toEqual([]);
  });

  it.each(CRAFTED)('a poll of task %j is BAD_USER_INPUT, and nothing reaches Danube', async (taskId) => {
    const answer = await harness.gql(OPERATION, { id: operationId(ref(taskId)) });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(sent()).toEqual([]);
  });

  /**
   * Hostnames written into an operation id: none is one Danube lists or the gateway would put in
   * a URL. With a task id, the task was polled before the hostname was looked at; without one
   * (an operation Danube finished at once) the id alone answered SUCCEEDED, as though acted on.
   */
  const CRAFTED_VMS = ['../../x', 'a/b', 'a%2fb', 'a\u0000b', 'a\r\nb', '..', 'web01.example.com?x', 'ｗｅｂ', 'x'.repeat(256)];
  const withVm = (hostname: string, taskId: string, kind: OperationRef['kind']): OperationRef => ({ ...ref(taskId), kind, instanceNativeId: hostname });

  it.each(CRAFTED_VMS)('an operation id naming VM %j is BAD_USER_INPUT for a poll and NOT_FOUND for a cancel, with a task or without, and nothing reaches Danube', async (hostname) => {
    for (const kind of ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP'] as const) {
      for (const taskId of ['', '1e1-6f75849b-11b8-4bf1-8f66']) {
        const answer = await harness.gql(OPERATION, { id: operationId(withVm(hostname, taskId, kind)) });
        expect(errorCodes(answer), `${kind} ${taskId}`).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors?.[0]?.message).toMatch(/^operation id names no valid Danube VM/);
        expect(errorCodes(await harness.gql(CANCEL, { id: operationId(withVm(hostname, taskId, kind)) })), `${kind} ${taskId} cancel`).toEqual(['NOT_FOUND']);
      }
    }
    expect(sent()).toEqual([]);
  });

  /** Every Danube operation the gateway answers names its VM (fromAnswer): one naming none was answered SUCCEEDED from the id alone, or its task polled. */
  it('an operation id naming no VM is BAD_USER_INPUT for a poll and NOT_FOUND for a cancel, with a task or without, and nothing reaches Danube', async () => {
    for (const kind of ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP'] as const) {
      for (const taskId of ['', '1e1-6f75849b-11b8-4bf1-8f66']) {
        const answer = await harness.gql(OPERATION, { id: operationId({ ...ref(taskId), kind, instanceNativeId: null }) });
        expect(errorCodes(answer), `${kind} ${taskId}`).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors?.[0]?.message).toMatch(/^operation id names no valid Danube VM/);
        expect(errorCodes(await harness.gql(CANCEL, { id: operationId({ ...ref(taskId), kind, instanceNativeId: null }) })), `${kind} ${taskId} cancel`).toEqual(['NOT_FOUND']);
      }
    }
    expect(sent()).toEqual([]);
  });

  // It read SUCCEEDED from the id alone: any listed VM's delete "done" on the client's word.
  it("an operation id naming a VM as Danube lists it, with no task, that the gateway did not start is NOT_FOUND, and nothing reaches Danube", async () => {
    const answer = await harness.gql(OPERATION, { id: operationId(withVm('web01.example.com', '', 'DELETE_BACKUP')) });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(sent()).toEqual([]);
  });

  // It was cancelled by exactly the call it named: a task the gateway never started.
  it("a task id of Danube's shape the gateway did not start is NOT_FOUND for a cancel, and nothing reaches Danube", async () => {
    const answer = await harness.gql(CANCEL, { id: operationId(ref('1e1-6f75849b-11b8-4bf1-8f66')) });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect(sent()).toEqual([]);
  });
});
