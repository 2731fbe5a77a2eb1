import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { operationId } from '../../src/gateway/ids.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const LIST = '{ instances(first: 100) { edges { node { id nativeId backups { id } } } } }';
const INSTANCE = 'query($id: ID!) { instance(id: $id) { nativeId } }';
const CREATE = 'mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "n" }) { operation { id } } }';
const DELETE_BACKUP = 'mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }';
const RESTORE = 'mutation($id: ID!) { restoreBackup(input: { backupId: $id, confirm: true }) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';

type Listed = { instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }> } }> } };

/**
 * What a client may write in place of an OnApp id when it re-encodes a global id: OnApp (Rails)
 * reads `0481` and `00481` as VM 481, so such an id named a listed VM under another id, and a
 * delete by it was sent. The rest are an integer only to a reader that trims, folds other digits
 * or reads signs, exponents or hex.
 */
const crafted = (id: string): string[] => [
  `0${id}`,
  `00${id}`,
  String.fromCodePoint(...[...id].map((digit) => 0xff10 + Number(digit))),
  String.fromCodePoint(...[...id].map((digit) => 0x0660 + Number(digit))),
  `+${id}`,
  ` ${id}`,
  `-${id}`,
  '1e3',
  '0x10',
];

describe('onapp: ids a client crafted into a global id', () => {
  let harness: Harness;
  let vmId: string;
  let backupId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const listed = (await harness.gql<Listed>(LIST)).data!.instances.edges.map((edge) => edge.node);
    const withBackups = listed.find((node) => node.backups.length > 0)!;
    vmId = withBackups.nativeId;
    backupId = withBackups.backups[0]!.id;
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  /** Every request OnApp was sent whose path names an id of no integer's canonical shape, and every write. */
  const sent = () => {
    const log = harness.simulator('onapp').server.log;
    return {
      oddIds: log.filter((request) => request.rawPath.split(/[/.?]/).some((part) => /\d/.test(part) && !/^(?:0|[1-9]\d*)$/.test(part))).map((request) => `${request.method} ${request.rawPath}`),
      writes: log.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.rawPath}`),
    };
  };
  const expectNothingAskedBy = (codes: string[], bad: string) => {
    expect({ bad, codes }).toEqual({ bad, codes: ['NOT_FOUND'] });
    expect({ bad, ...sent() }).toEqual({ bad, oddIds: [], writes: [] });
  };

  it('a backup id whose VM is another spelling of a listed VM: NOT_FOUND, nothing deleted or restored, no such id sent', async () => {
    const { providerId, keys } = decodeId(backupId);
    for (const bad of crafted(vmId)) {
      harness.resetUpstreamLogs();
      expectNothingAskedBy(errorCodes(await harness.gql(DELETE_BACKUP, { id: encodeId('Backup', providerId, [bad, ...keys.slice(1)]) })), bad);
      harness.resetUpstreamLogs();
      expectNothingAskedBy(errorCodes(await harness.gql(RESTORE, { id: encodeId('Backup', providerId, [bad, ...keys.slice(1)]) })), bad);
    }
  });

  it("a backup id whose backup is another spelling of the listed one: NOT_FOUND, nothing deleted", async () => {
    const { providerId, keys } = decodeId(backupId);
    for (const bad of crafted(keys[1]!)) {
      harness.resetUpstreamLogs();
      expectNothingAskedBy(errorCodes(await harness.gql(DELETE_BACKUP, { id: encodeId('Backup', providerId, [keys[0]!, bad, ...keys.slice(2)]) })), bad);
    }
  });

  it('an instance id of another spelling: no instance, no create, no such id sent', async () => {
    for (const bad of crafted(vmId)) {
      harness.resetUpstreamLogs();
      const id = encodeId('Instance', 'onapp-test', [bad]);
      const answer = await harness.gql<{ instance: unknown }>(INSTANCE, { id });
      expect({ bad, instance: answer.data?.instance, codes: errorCodes(answer) }).toEqual({ bad, instance: null, codes: [] });
      expectNothingAskedBy(errorCodes(await harness.gql(CREATE, { id })), bad);
    }
  });

  it('a delete operation id naming another spelling of a listed VM: its poll asks nothing by it', async () => {
    const backupNativeId = decodeId(backupId).keys[1]!;
    for (const bad of crafted(vmId)) {
      harness.resetUpstreamLogs();
      const id = operationId({ providerId: 'onapp-test', kind: 'DELETE_BACKUP', startedAt: new Date(Date.now() - 1000), instanceNativeId: bad, backupNativeId, token: [] });
      expectNothingAskedBy(errorCodes(await harness.gql(OPERATION, { id })), bad);
    }
  });
});
