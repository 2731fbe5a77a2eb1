import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * Every mutation writes an audit line naming its targets (the ids the client wrote) and subjects
 * (the account and native ids decoded from them), before any check, whoever asks. Each is the
 * client's text: a provider credential written as an id (or as the native id inside a made-up
 * global id) was logged as sent, while every other line's client text goes through the scrubber
 * of provider answers. And a long target keeps only its start: cut through a credential's hex
 * form, that start kept 20 of its characters, which the scrub finds only whole.
 */

const DELETE = 'mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { backup { id } } }';
const HEX = Buffer.from(DANUBE_SIM_API_KEY).toString('hex');
/** The first 8 of the key's characters as the key and as hex: the scrub redacts 8 characters of it as a piece. */
const STARTS = [DANUBE_SIM_API_KEY.slice(0, 8), DANUBE_SIM_API_KEY.slice(-8), HEX.slice(0, 16)];

type Line = Record<string, unknown>;
const auditLines = (harness: Harness, from: number): Line[] => harness.logs.slice(from).map((text) => JSON.parse(text) as Line).filter((line) => line.audit === true);
const leaked = (harness: Harness, from: number): string[] => harness.logs.slice(from).filter((line) => STARTS.some((start) => line.includes(start)));

describe("an audit line naming a provider credential the client wrote as a mutation's id", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());

  it('is scrubbed in its targets: the key as an id, and its hex form', async () => {
    const from = harness.logs.length;
    for (const id of [DANUBE_SIM_API_KEY, `x${HEX}`]) expect((await harness.gql(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const lines = auditLines(harness, from);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.stringify(line.targets)).toContain('[redacted]');
    expect(leaked(harness, from)).toEqual([]);
  });

  it("is scrubbed in its subjects: a made-up global id's native id", async () => {
    const from = harness.logs.length;
    const id = encodeId('Backup', 'danube-test', ['vm-1', DANUBE_SIM_API_KEY]);
    await harness.gql(DELETE, { id });
    const lines = auditLines(harness, from);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).toContain('[redacted]');
    expect(leaked(harness, from)).toEqual([]);
  });

  it("keeps no start of the key's hex form where a long target is cut (100 characters of text that is no id)", async () => {
    const from = harness.logs.length;
    const id = `${'y'.repeat(100 - 40)}${HEX}${'z'.repeat(100)}`;
    expect((await harness.gql(DELETE, { id })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const lines = auditLines(harness, from);
    expect(lines).toHaveLength(1);
    expect(String((lines[0]?.targets as Record<string, unknown>).backupId)).toMatch(/\.\.\. \(\d+ characters\)$/);
    expect(leaked(harness, from)).toEqual([]);
  });

  it("keeps no start of the key's hex form where a long native id in a subject is cut (64 characters of one over 160)", async () => {
    const from = harness.logs.length;
    const id = encodeId('Backup', 'danube-test', ['vm-1', `${'w'.repeat(64 - 40)}${HEX}${'v'.repeat(150)}`]);
    await harness.gql(DELETE, { id });
    const lines = auditLines(harness, from);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).toMatch(/\.\.\. \(sha256 [0-9a-f]{16}, \d+ characters\)/);
    expect(leaked(harness, from)).toEqual([]);
  });
});
