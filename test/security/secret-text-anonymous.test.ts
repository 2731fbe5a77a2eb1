import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { errorCodes, type Harness, startHarness, withLimits } from '../helpers/harness.js';

/**
 * limits.secretTextRefusals holds a writer back after `perKey` refusals. Callers without a key
 * share one principal: counted by it, one anonymous prober's three refused notes held every
 * anonymous write back for the window (a day by default), whoever sent it. They count by address
 * now (an IPv6 caller's /64), and an IPv4 /24 or IPv6 /48 together at GROUP_SHARE addresses' worth.
 */

const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id note } } }';
const PIECE = DANUBE_SIM_API_KEY.slice(12, 20);
const PER_KEY = 2;

describe('writes refused for credential text, callers without a key: counted by address', () => {
  let harness: Harness;
  let backupId: string;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube'],
      // The test's requests come from loopback: each names its client in X-Forwarded-For, as a proxy would.
      configure: [
        (config) => ({ ...config, allowAnonymous: true, anonymousRole: 'operator', listen: { ...(config.listen as object), trustedProxies: ['loopback'] } }),
        withLimits({ secretTextRefusals: { perKey: PER_KEY, windowMs: 3_600_000 } }),
      ],
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> | null } }> } }>('{ instances(first: 100) { edges { node { backups { id } } } } }', {}, { headers: { 'x-forwarded-for': '192.0.2.1' } });
    backupId = list.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
  });
  afterAll(() => harness.close());

  const noteFrom = (address: string, note: string) => harness.gql(NOTE, { input: { backupId, note } }, { headers: { 'x-forwarded-for': address } });

  const holdOut = async (address: string): Promise<void> => {
    for (let attempt = 0; attempt < PER_KEY; attempt++) expect(errorCodes(await noteFrom(address, `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    const held = await noteFrom(address, 'an ordinary note');
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/^writes refused: this address wrote text .*\(limits\.secretTextRefusals\)$/);
  };

  it('logs the refusal in JSON with countedAs, and the x-request-id the client offered beside the same requestId (guard)', async () => {
    const answer = await harness.gql(NOTE, { input: { backupId, note: `pasted: ${PIECE}` } }, { headers: { 'x-forwarded-for': '192.0.2.77', 'x-client-request-id': 'trace-anon-77' } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    const lines = harness.logs.map((text) => JSON.parse(text) as Record<string, unknown>).filter((line) => line.requestId === answer.headers.get('x-request-id'));
    const refusal = lines.find((line) => String(line.msg).startsWith('write refused: a field holds text'));
    expect(refusal).toMatchObject({ level: 40, countedAs: 'address 192.0.2.77', operation: 'updateBackupNote', field: 'note', refusalsInWindow: 1, limit: PER_KEY });
    expect(JSON.stringify(refusal)).not.toContain(PIECE);
    expect(lines.some((line) => line.clientRequestId === 'trace-anon-77')).toBe(true);
  });

  it('holds the prober\'s address back, and not an anonymous writer at another address', async () => {
    await holdOut('203.0.113.7');
    const other = await noteFrom('198.51.100.9', 'an ordinary note');
    expect(other.errors).toBeUndefined();
  });

  it('holds a prober changing addresses within its IPv6 /64 back as one', async () => {
    for (let attempt = 0; attempt < PER_KEY; attempt++) expect(errorCodes(await noteFrom(`2001:db8:1:2::${attempt + 1}`, `try ${attempt}: ${PIECE}`))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await noteFrom('2001:db8:1:2::99', 'an ordinary note'))).toEqual(['FORBIDDEN']);
    expect((await noteFrom('2001:db8:9:9::1', 'an ordinary note')).errors).toBeUndefined();
  });

  it('holds an IPv4 /24 back as a whole once GROUP_SHARE (4) of its addresses have been held', async () => {
    for (const last of [1, 2, 3, 4]) await holdOut(`198.18.5.${last}`);
    const held = await noteFrom('198.18.5.200', 'an ordinary note');
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/^writes refused: this address's \/24 wrote text/);
    expect((await noteFrom('198.18.6.1', 'an ordinary note')).errors).toBeUndefined();
  });
});
