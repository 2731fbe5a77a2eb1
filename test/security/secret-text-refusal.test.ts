import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { ONAPP_SIM_API_KEY } from '../../src/providers/onapp/simulator.js';
import { errorCodes, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';

/**
 * The redaction as an oracle (docs/security.md): a note of candidates read back with the one that
 * is a piece of a credential as `[redacted]`, a key's next character per write from 7 known. The
 * write is refused now, before any provider call, checked with every account's secrets; each
 * refusal counts against the key (limits.secretTextRefusals), and says nothing of what matched.
 */

const NOTE = 'mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { id note } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUP = 'query($id: ID!) { node(id: $id) { ... on Backup { note } } }';
const HEX = '0123456789abcdef';
/** Seven characters of the Danube key known, the eighth guessed: the finder's note. */
const KNOWN = DANUBE_SIM_API_KEY.slice(12, 19);
const CANDIDATES = [...HEX].map((next) => `${KNOWN}${next}`).join(' ');
/** Eight characters found only in the OnApp account's key. */
const ONAPP_PIECE = ONAPP_SIM_API_KEY.slice(-8);
const PER_KEY = 3;
const REFUSAL = /^(note|name) holds text the gateway redacts from provider answers \(a form of a configured credential\): write it without that text$/;

const operator = (name: string) => ({ name, key: `${name}-key-0123456789abcdef`, roles: ['operator'] });
const ATTACKER = operator('attacker');
const PROBER = operator('prober');
const REPEATER = operator('repeater');
const ORDINARY = operator('ordinary');
const QUOTER = operator('quoter');

describe('client-written text a provider keeps: refused where the scrubber would redact it', () => {
  let harness: Harness;
  let backupId: string;
  let danubeInstanceId: string;
  const key = (client: { key: string }) => ({ key: client.key });

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube', 'onapp'],
      configure: [withClients([ATTACKER, PROBER, REPEATER, ORDINARY, QUOTER]), withLimits({ secretTextRefusals: { perKey: PER_KEY, windowMs: 3_600_000 } })],
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string }; backups: Array<{ id: string }> | null } }> } }>(
      '{ instances(first: 100) { edges { node { id provider { id } backups { id } } } } }',
      {},
      key(ORDINARY),
    );
    const danube = list.data!.instances.edges.map((edge) => edge.node).filter((node) => node.provider.id === harness.providerId('danube') && (node.backups?.length ?? 0) > 0);
    danubeInstanceId = danube[0]!.id;
    backupId = danube[0]!.backups![0]!.id;
  });
  afterAll(() => harness.close());

  it('refuses the finder note of 16 candidates after 7 known characters before any provider call, and nothing reads back redacted', async () => {
    expect(DANUBE_SIM_API_KEY).toContain(`${KNOWN}4`);
    harness.resetUpstreamLogs();
    const answer = await harness.gql(NOTE, { input: { backupId, note: CANDIDATES } }, key(ATTACKER));
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(REFUSAL);
    expect(answer.errors?.[0]?.extensions?.fields).toEqual(['note']);
    expect(harness.upstreamCount()).toBe(0);
    expect(answer.text).not.toContain('[redacted]');
    const read = await harness.gql<{ node: { note: string | null } }>(BACKUP, { id: backupId }, key(ORDINARY));
    expect(read.errors).toBeUndefined();
    expect(read.text).not.toContain('[redacted]');
    expect(read.data?.node.note ?? '').not.toContain(KNOWN);
  });

  it('refuses a piece of another account key written into a Danube backup, without naming that account', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(NOTE, { input: { backupId, note: `ticket 41: ${ONAPP_PIECE}` } }, key(PROBER));
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(REFUSAL);
    expect(answer.text).not.toContain(harness.providerId('onapp'));
    expect(answer.text.toLowerCase()).not.toContain('onapp');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('refuses candidates that read back redacted only as the provider quotes them (a newline and "/" after the key\'s "-", JSON-escaped)', async () => {
    // As written, no candidate holds a form the scrubber finds; in Danube's JSON answer the newline
    // reads "\\n" and the one that continues the key came back `[redacted]`: the oracle again.
    const note = [...HEX].map((next) => `${KNOWN}\n/${next}`).join(' ');
    harness.resetUpstreamLogs();
    const answer = await harness.gql(NOTE, { input: { backupId, note } }, key(QUOTER));
    expect(answer.text).not.toContain('[redacted]');
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(REFUSAL);
    expect(harness.upstreamCount()).toBe(0);
    const read = await harness.gql<{ node: { note: string | null } }>(BACKUP, { id: backupId }, key(ORDINARY));
    expect(read.text).not.toContain('[redacted]');
  });

  it('refuses a backup name holding a piece of the key too', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(CREATE, { input: { instanceId: danubeInstanceId, name: `nightly-${KNOWN}4`, definitionName: 'daily' } }, key(PROBER));
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(REFUSAL);
    expect(harness.upstreamCount()).toBe(0);
  });

  it(`holds every write of a key back once it has had ${PER_KEY} such refusals, and no other key`, async () => {
    for (let attempt = 0; attempt < PER_KEY; attempt++) {
      const refused = await harness.gql(NOTE, { input: { backupId, note: `retry ${attempt}: ${KNOWN}4` } }, key(REPEATER));
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    }
    harness.resetUpstreamLogs();
    const held = await harness.gql(NOTE, { input: { backupId, note: 'an ordinary note' } }, key(REPEATER));
    expect(errorCodes(held)).toEqual(['FORBIDDEN']);
    expect(held.errors?.[0]?.message).toMatch(/limits\.secretTextRefusals/);
    expect(held.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(harness.upstreamCount()).toBe(0);
    const other = await harness.gql(NOTE, { input: { backupId, note: 'an ordinary note' } }, key(ORDINARY));
    expect(other.errors).toBeUndefined();
  });

  it('guard: an ordinary note and name are written and read back as written', async () => {
    const note = 'keep: audit 2024 (api key rotated, see ticket 4e8)';
    const answer = await harness.gql<{ updateBackupNote: { backup: { note: string } } }>(NOTE, { input: { backupId, note } }, key(ORDINARY));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.updateBackupNote.backup.note).toBe(note);
    const created = await harness.gql(CREATE, { input: { instanceId: danubeInstanceId, name: 'nightly-before-upgrade', definitionName: 'daily' } }, key(ORDINARY));
    expect(created.errors).toBeUndefined();
  });

  it('tells nothing of the secret in the refusals, the warn lines or the metrics, and counts each refusal', async () => {
    const lines = harness.logs.filter((line) => line.includes('write refused: a field holds text the gateway redacts'));
    // The attacker's, the quoter's, the prober's two, the repeater's three.
    expect(lines).toHaveLength(1 + 1 + 2 + PER_KEY);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed.level === 40 || parsed.level === 'warn').toBe(true);
      expect(['note', 'name']).toContain(parsed.field);
      expect(typeof parsed.keyId).toBe('string');
    }
    const metrics = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^backup_graph_secret_text_refusals_total ${1 + 1 + 2 + PER_KEY}$`, 'm'));
    for (const text of [harness.logs.join('\n'), metrics]) {
      expect(text).not.toContain(KNOWN);
      expect(text).not.toContain(ONAPP_PIECE);
      expect(text).not.toContain(DANUBE_SIM_API_KEY.slice(-6));
    }
  });
});
