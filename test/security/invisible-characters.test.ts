import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const CREATE = 'mutation ($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

/**
 * A name with a zero width space (or a bidirectional override, a line separator,
 * a byte order mark) looks like another name in a dashboard or an audit line:
 * "nightly" and "night\u200bly" read alike. Refused as BAD_USER_INPUT naming
 * the code point, before any provider call; the joiners that scripts and
 * emoji need are names like any other.
 */
describe('invisible and bidirectional characters in names', () => {
  let harness: Harness;
  let instanceId = '';
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  it('refuses a backup name holding U+200B with BAD_USER_INPUT naming it, before any provider call', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(CREATE, { input: { instanceId, name: 'night\u200bly' } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.message).toBe('name must not contain U+200B: control, invisible and bidirectional characters are refused in names');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('refuses names that read like another through characters outside the first list: tags (hidden ASCII), a blank Hangul filler, a deprecated format character, in single and bulk creates', async () => {
    harness.resetUpstreamLogs();
    // "nightly" followed by "rm" in tag characters reads "nightly".
    const tagged = await harness.gql(CREATE, { input: { instanceId, name: 'nightly', definitionName: 'nightly\u{e0072}\u{e006d}' } });
    expect(errorCodes(tagged)).toEqual(['BAD_USER_INPUT']);
    expect(tagged.errors![0]!.message).toBe('definitionName must not contain U+E0072: control, invisible and bidirectional characters are refused in names');
    const bulk = await harness.gql('mutation ($input: CreateBackupsInput!) { createBackups(input: $input) { createdCount } }', { input: { instanceIds: [instanceId], name: 'nightly\u3164' } });
    expect(bulk.errors![0]!.message).toBe('name must not contain U+3164: control, invisible and bidirectional characters are refused in names');
    const single = await harness.gql(CREATE, { input: { instanceId, name: 'night\u206aly' } });
    expect(single.errors![0]!.message).toBe('name must not contain U+206A: control, invisible and bidirectional characters are refused in names');
    expect(harness.upstreamCount()).toBe(0);
  });

  it('takes a name with the zero width joiner of an emoji sequence', async () => {
    const answer = await harness.gql(CREATE, { input: { instanceId, name: 'family \u{1f468}\u200d\u{1f469}\u200d\u{1f467}' } });
    expect(answer.errors).toBeUndefined();
  });
});
