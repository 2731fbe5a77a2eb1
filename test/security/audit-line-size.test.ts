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
 * request of 900 KB. Since the first refused mutation ends the document (as
 * graphql-js runs them: root-refusals.ts), the 29 after it are not run and
 * write no line; each line is still bounded, whatever its input.
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

  it('a huge target that is no id is named by its start and its length; 30 aliases of it write kilobytes, not copies', async () => {
    const huge = 'A'.repeat(900_000);
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: deleteBackup(input: { backupId: $id }) { operation { id } }`).join(' ');
    const before = harness.logs.length;
    const answer = await harness.gql(`mutation ($id: ID!) { ${aliases} }`, { id: huge }, { key: VIEWER });
    expect(errorCodes(answer)).toContain('FORBIDDEN');
    const written = harness.logs.slice(before);
    const audit = auditLines(written);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ client: 'dashboard', operation: 'deleteBackup', outcome: 'FORBIDDEN', targets: { backupId: '... (900000 characters)' } });
    const bytes = written.reduce((sum, line) => sum + line.length, 0);
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('a huge providerId (syncBackups) is named by its start in the subjects too, not whole on each alias', async () => {
    const huge = 'p'.repeat(900_000);
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: syncBackups(input: { providerId: $id }) { operation { id } }`).join(' ');
    const before = harness.logs.length;
    const answer = await harness.gql(`mutation ($id: ID!) { ${aliases} }`, { id: huge }, { key: VIEWER });
    expect(errorCodes(answer)).toContain('FORBIDDEN');
    const written = harness.logs.slice(before);
    expect(auditLines(written)).toHaveLength(1);
    // 27 MB before: the line's provider was the input's providerId as sent.
    expect(written.reduce((sum, line) => sum + line.length, 0)).toBeLessThan(64 * 1024);
  });

  it('an id as real accounts make them is named whole', async () => {
    const realId = encodeId('Backup', harness.providerId('zstack'), ['a'.repeat(32), 'b'.repeat(32)]);
    const before = harness.logs.length;
    const answer = await harness.gql('mutation ($id: ID!) { deleteBackup(input: { backupId: $id }) { operation { id } } }', { id: realId }, { key: VIEWER });
    expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
    expect(auditLines(harness.logs.slice(before))[0]).toMatchObject({ targets: { backupId: realId }, backup: { nativeId: 'b'.repeat(32), instance: { nativeId: 'a'.repeat(32) } } });
  });

  it('a long well-formed id under 30 aliases writes about what a short one does, not 29 times the request', async () => {
    // Well-formed, so it decodes: before, the line named it whole (2 KB) and its native ids again in the subjects.
    const longId = encodeId('Backup', harness.providerId('zstack'), ['a'.repeat(700), 'b'.repeat(700)]);
    const shortId = encodeId('Backup', harness.providerId('zstack'), ['a'.repeat(32), 'b'.repeat(32)]);
    const aliases = Array.from({ length: 30 }, (_, index) => `a${index}: deleteBackup(input: { backupId: $id }) { operation { id } }`).join(' ');
    const linesOf = async (id: string): Promise<string[]> => {
      const before = harness.logs.length;
      const answer = await harness.gql(`mutation ($id: ID!) { ${aliases} }`, { id }, { key: VIEWER });
      expect(errorCodes(answer)).toContain('FORBIDDEN');
      return harness.logs.slice(before);
    };
    const bytes = (lines: readonly string[]) => lines.reduce((sum, line) => sum + line.length, 0);
    const shortBytes = bytes(await linesOf(shortId));
    const longLines = await linesOf(longId);
    const longBytes = bytes(longLines);
    // 117 KB before (a 4 KB request); now each long id or native id is its start, a digest and its length.
    expect(longBytes).toBeLessThan(shortBytes + 30 * 512);
    const [line] = auditLines(longLines) as Array<{ targets: { backupId: string }; backup: { nativeId: string } }>;
    expect(line!.targets.backupId).toMatch(new RegExp(`^\\.\\.\\. \\(sha256 [0-9a-f]{16}, ${longId.length} characters\\)$`));
    expect(line!.backup.nativeId).toMatch(/^\.\.\. \(sha256 [0-9a-f]{16}, 700 characters\)$/);
  });

  it('a list of long well-formed ids under 10 aliases (the most list items a request takes) writes about the request, not 17 times it', async () => {
    // Well-formed, so each is named whole: 100 ids of 2,030 characters, 200 KB in one variable.
    const ids = Array.from({ length: 100 }, (_, index) => encodeId('Instance', harness.providerId('zstack'), [`${index}-`.padEnd(1_500, 'x')]));
    const aliases = Array.from({ length: 10 }, (_, index) => `a${index}: createBackups(input: { instanceIds: $ids, name: "bulk" }) { createdCount }`).join(' ');
    const before = harness.logs.length;
    const answer = await harness.gql(`mutation ($ids: [ID!]!) { ${aliases} }`, { ids }, { key: VIEWER });
    expect(errorCodes(answer)).toContain('FORBIDDEN');
    const written = harness.logs.slice(before);
    const [line] = auditLines(written) as Array<{ targets: { instanceIds: string[] }; instances: Array<{ nativeId: string }> }>;
    // Each named by a digest and its length (its start, one run the cut goes through, left out), in the targets and the subjects alike.
    expect(line!.targets.instanceIds).toHaveLength(100);
    expect(line!.targets.instanceIds[0]).toMatch(/\.\.\. \(sha256 [0-9a-f]{16}, \d+ characters\)$/);
    expect(line!.instances).toHaveLength(100);
    expect(line!.instances[0]!.nativeId).toMatch(/^\.\.\. \(sha256 [0-9a-f]{16}, 1500 characters\)$/);
    // 3.6 MB when every line named all 100 twice (targets and subjects).
    expect(written.reduce((sum, text) => sum + text.length, 0)).toBeLessThan(400 * 1024);
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
