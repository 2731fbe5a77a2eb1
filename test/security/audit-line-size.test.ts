import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { errorCodes, startHarness, withClients, type Harness } from '../helpers/harness.js';

const VIEWER = 'viewer-key-0123456789abcdef';
const OPERATOR = 'operator-key-0123456789abcdef';

const auditLines = (lines: readonly string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === true);

/**
 * Every mutation writes its audit line, refused or not, and the line named
 * the input's targets as sent: a viewer's 900 KB "id" in one variable, named
 * by 30 aliases of deleteBackup (FORBIDDEN to it), wrote 27 MB of log per
 * request of 900 KB.
 */
describe('audit lines: bounded, whatever the input', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zstack'],
      configure: withClients([
        { name: 'dashboard', key: VIEWER, roles: ['viewer'] },
        { name: 'automation', key: OPERATOR, roles: ['operator'] },
      ]),
    });
  });
  afterAll(() => harness.close());

  it('a huge target that is no id is named by its start and its length; 30 aliases of it write kilobytes, not 30 copies', async () => {
    const huge = 'A'.repeat(900_000);
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: deleteBackup(input: { backupId: $id }) { operation { id } }`).join(' ');
    const before = harness.logs.length;
    const answer = await harness.gql(`mutation ($id: ID!) { ${aliases} }`, { id: huge }, { key: VIEWER });
    expect(errorCodes(answer)).toContain('FORBIDDEN');
    const written = harness.logs.slice(before);
    const audit = auditLines(written);
    expect(audit).toHaveLength(30);
    expect(audit[0]).toMatchObject({ client: 'dashboard', operation: 'deleteBackup', outcome: 'FORBIDDEN', targets: { backupId: `${'A'.repeat(100)}... (900000 characters)` } });
    const bytes = written.reduce((sum, line) => sum + line.length, 0);
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('a real id is named whole, however long', async () => {
    const longId = encodeId('Backup', harness.providerId('zstack'), ['a'.repeat(600), 'b'.repeat(600)]);
    const before = harness.logs.length;
    const answer = await harness.gql('mutation ($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }', { id: longId }, { key: VIEWER });
    expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
    expect(auditLines(harness.logs.slice(before))[0]).toMatchObject({ targets: { backupId: longId } });
  });

  it('a list of long well-formed ids under 10 aliases (the most list items a request takes) writes a few times the request, not 17', async () => {
    // Well-formed, so each is named whole: 100 ids of 2,030 characters, 200 KB in one variable.
    const ids = Array.from({ length: 100 }, (_, index) => encodeId('Instance', harness.providerId('zstack'), [`${index}-`.padEnd(1_500, 'x')]));
    const aliases = Array.from({ length: 10 }, (_, index) => `a${index}: createBackups(input: { instanceIds: $ids, name: "bulk" }) { createdCount }`).join(' ');
    const before = harness.logs.length;
    const answer = await harness.gql(`mutation ($ids: [ID!]!) { ${aliases} }`, { ids }, { key: VIEWER });
    expect(errorCodes(answer)).toContain('FORBIDDEN');
    const written = harness.logs.slice(before);
    const [line] = auditLines(written);
    const listed = (line as { targets: { instanceIds: string[] } }).targets.instanceIds.length;
    expect(listed).toBeLessThan(100);
    expect(line).toMatchObject({ targets: { instanceIdsNotListed: 100 - listed } });
    expect((line as { instances: unknown[] }).instances).toHaveLength(listed);
    // 3.6 MB when every line named all 100 twice (targets and subjects).
    expect(written.reduce((sum, text) => sum + text.length, 0)).toBeLessThan(512 * 1024);
  });

  it('createBackups past limits.maxBulkInstances: the line names the first 100 ids and how many it left out', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => encodeId('Instance', harness.providerId('zstack'), [`vm-${index}`]));
    const before = harness.logs.length;
    const answer = await harness.gql('mutation ($ids: [ID!]!) { createBackups(input: { instanceIds: $ids, name: "bulk" }) { createdCount } }', { ids }, { key: OPERATOR });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    const [line] = auditLines(harness.logs.slice(before));
    expect(line).toMatchObject({ operation: 'createBackups', outcome: 'BAD_USER_INPUT', targets: { instanceIds: ids.slice(0, 100), instanceIdsNotListed: 50 } });
    expect((line as { instances: unknown[] }).instances).toHaveLength(100);
    expect(harness.upstreamCount()).toBe(0);
  });
});
