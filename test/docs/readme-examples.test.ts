import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS, type ProviderKind } from '../../src/providers/registry.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * Every ```graphql block of README.md runs against every provider's simulator. A block
 * with `<...>` placeholders says how to fill them in an HTML comment just before it:
 * `<!-- example: per-provider -->` runs it at each provider with that provider's ids
 * ("stopped" in the comment: a stopped instance and its backup), `<!-- example: one
 * instance at each provider -->` fills an id list with one instance per provider,
 * `<!-- example: not run (why) -->` is not an operation on this API. The README's long-form
 * detail moved to docs/ (2026-12-05) brought its examples along: those files' blocks run too.
 */
const EXAMPLE_FILES = ['README.md', ...['configuration', 'protection', 'providers', 'architecture', 'operations', 'security', 'testing', 'benchmark'].map((name) => `docs/${name}.md`)];

const readText = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

interface Example {
  file: string;
  line: number;
  marker: string | null;
  text: string;
}

const KINDS = PROVIDER_KINDS;

function readmeExamples(): Example[] {
  return EXAMPLE_FILES.flatMap(examplesIn);
}

function examplesIn(file: string): Example[] {
  const lines = readText(file).split('\n');
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index] !== '```graphql') continue;
    let previous = index - 1;
    while (previous >= 0 && lines[previous]?.trim() === '') previous--;
    const marker = /^<!-- example: (.*) -->$/.exec(lines[previous] ?? '')?.[1] ?? null;
    const end = lines.indexOf('```', index + 1);
    examples.push({ file, line: index + 1, marker, text: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return examples;
}

/** A block may hold several operations, one after another, separated by a blank line. */
const documents = (text: string): string[] => text.split(/\n\s*\n/).filter((document) => document.trim() !== '');

interface Ids {
  instanceId: string;
  backupId: string;
  stoppedInstanceId: string;
  stoppedBackupId: string;
  otherInstanceId: string;
}

interface InstanceRow {
  id: string;
  status: string;
  provider: { kind: string };
  backups: Array<{ id: string; status: string }> | null;
}

describe('README examples', () => {
  let harness: Harness;
  const ids = new Map<ProviderKind, Ids>();
  let serial = 0;
  // Each run's keys are its own: the README's key, reused with other input, would be a CONFLICT.
  const freshKeys = (document: string): string => document.replace(/idempotencyKey: "([^"]*)"/g, () => `idempotencyKey: "readme-example-${++serial}"`);

  beforeAll(async () => {
    harness = await startHarness({ kinds: KINDS });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: InstanceRow }> } }>('{ instances(first: 500) { edges { node { id status provider { kind } backups { id status } } } } }');
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data?.instances.edges.map((edge) => edge.node) ?? [];
    for (const kind of KINDS) {
      const mine = nodes.filter((node) => node.provider.kind === kind.toUpperCase());
      const usable = (node: InstanceRow): string | undefined => node.backups?.find((backup) => backup.status === 'AVAILABLE')?.id;
      const running = mine.filter((node) => node.status === 'RUNNING' && usable(node));
      const stopped = mine.find((node) => node.status === 'STOPPED' && usable(node));
      if (!stopped || running.length < 2) throw new Error(`the ${kind} demo needs a stopped and two running instances, each with an AVAILABLE backup: ${JSON.stringify(mine)}`);
      ids.set(kind, {
        instanceId: running[0]!.id,
        backupId: usable(running[0]!)!,
        otherInstanceId: running[running.length - 1]!.id,
        stoppedInstanceId: stopped.id,
        stoppedBackupId: usable(stopped)!,
      });
    }
  });
  afterAll(() => harness.close());

  it('finds the examples, each placeholder block marked', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const example of examples) if (/<[A-Za-z ]+>/.test(example.text)) expect(example.marker, `${example.file}:${example.line}`).not.toBeNull();
  });

  it('holds in each block one document a user can paste whole: several operations in one block are all named', () => {
    for (const example of readmeExamples().filter((candidate) => !candidate.marker?.startsWith('not run'))) {
      const operations = parse(example.text).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      if (operations.length > 1) expect(operations.map((operation) => operation.name?.value ?? null), `${example.file}:${example.line}`).not.toContain(null);
    }
  });

  it('answers each curl sample, request by request, with the JSON lines shown under it (the demo\'s account ids are -demo, the harness\'s -test)', async () => {
    const samples = [...EXAMPLE_FILES.map(readText).join('\n').matchAll(/\n```sh\n((?:curl -s http:\/\/127\.0\.0\.1:4000\/graphql [^\n]*\n)+)```\n\n```json\n([\s\S]*?)\n```/g)];
    // The query over HTTP, and the persisted query's three steps.
    expect(samples.length, 'a ```sh block of curl lines followed by a ```json block of their answers').toBeGreaterThanOrEqual(2);
    for (const [, commands, answers] of samples) {
      const requests = commands!.trim().split('\n');
      const expected = answers!.split('\n');
      expect(expected, `one answer line per curl line: ${requests[0]}`).toHaveLength(requests.length);
      for (const [index, command] of requests.entries()) {
        expect(command).toContain("-H 'content-type: application/json'");
        const body = /-d '([^']*)'/.exec(command)?.[1];
        const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body! });
        expect(response.status, command).toBe(200);
        expect(await response.json(), command).toEqual(JSON.parse(expected[index]!.replaceAll('-demo"', '-test"')));
      }
    }
  });

  it('runs the blocks without placeholders as they are', async () => {
    for (const example of readmeExamples().filter((candidate) => candidate.marker === null)) {
      for (const document of documents(example.text)) {
        const answer = await harness.gql(freshKeys(document));
        expect(answer.errors, `${example.file}:${example.line}`).toBeUndefined();
      }
    }
  });

  it('finds with the README\'s stopped-instances block, and nothing else, the stopped instance and backup each provider\'s restore block runs on', async () => {
    const examples = readmeExamples().filter((candidate) => candidate.file === 'README.md' && candidate.text.includes('filter: { status: [STOPPED] }'));
    expect(examples).toHaveLength(1);
    const answer = await harness.gql<{ instances: { totalCount: number; edges: Array<{ node: { id: string; status: string; backups: Array<{ id: string }> | null } }> } }>(examples[0]!.text);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.instances.edges.map((edge) => edge.node);
    expect(new Set(nodes.map((node) => node.status))).toEqual(new Set(['STOPPED']));
    expect(answer.data!.instances.totalCount).toBe(nodes.length);
    for (const kind of KINDS) {
      const mine = ids.get(kind)!;
      const stopped = nodes.find((node) => node.id === mine.stoppedInstanceId);
      expect(stopped?.backups?.map((backup) => backup.id), kind).toContain(mine.stoppedBackupId);
      expect(nodes.map((node) => node.id), kind).not.toContain(mine.instanceId);
    }
  });

  it('runs the id-list blocks with one instance at each provider', async () => {
    const all = KINDS.map((kind) => ids.get(kind)!.otherInstanceId);
    for (const example of readmeExamples().filter((candidate) => candidate.marker?.startsWith('one instance at each provider'))) {
      const document = freshKeys(example.text.replace(/\["<id>"(?:, "<id>")*\]/, JSON.stringify(all)));
      const answer = await harness.gql<{ createBackups: { failedCount: number; results: Array<{ error: unknown }> } }>(document);
      expect(answer.errors, `${example.file}:${example.line}`).toBeUndefined();
      expect(answer.data?.createBackups.results.map((result) => result.error)).toEqual(KINDS.map(() => null));
      expect(answer.data?.createBackups.failedCount).toBe(0);
    }
  });

  it('runs the Danube definition block on the demo instance that has none, which then backs up with it', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; name: string; definitions: unknown[] } }> } }>(
      '{ instances(kind: DANUBE, first: 500) { edges { node { id name definitions { id } } } } }',
    );
    const bare = listed.data!.instances.edges.map((edge) => edge.node).filter((node) => node.definitions.length === 0);
    expect(bare.map((node) => node.name)).toEqual(['web2']);
    // The README's word for a backup before the definition: Danube's "not found", and what to do about it (the words alone sent a newcomer looking for a missing VM).
    const refused = await harness.gql('mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "now", definitionName: "daily" }) { operation { id } } }', { id: bare[0]!.id });
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(refused.errors![0]!.message).toBe(
      'Backup definition not found: web2 has no backup definition named "daily" at Danube (the instance\'s `definitions` lists the ones it has): send the definitionName of one of those, or make one with createBackupDefinition',
    );
    const examples = readmeExamples().filter((candidate) => candidate.marker === 'the Danube instance without a definition');
    expect(examples).toHaveLength(1);
    for (const example of examples) {
      const answer = await harness.gql<{ createBackupDefinition: { definition: { name: string; active: boolean } } }>(example.text.replaceAll('<web2 id>', bare[0]!.id));
      expect(answer.errors, `${example.file}:${example.line}`).toBeUndefined();
      expect(answer.data?.createBackupDefinition.definition).toMatchObject({ name: 'daily', active: true });
    }
    const backup = await harness.gql('mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "now", definitionName: "daily" }) { operation { id } } }', { id: bare[0]!.id });
    expect(backup.errors).toBeUndefined();
  });

  it('runs the schedule block at Zomro and OnApp; ZStack refuses it, and Danube names the way it schedules (it said "does not support CREATE_SCHEDULE" alone)', async () => {
    const examples = readmeExamples().filter((candidate) => candidate.marker === 'a schedule, at Zomro and OnApp');
    expect(examples).toHaveLength(1);
    const refusals = new Map<ProviderKind, { code: unknown; message: string } | null>();
    for (const kind of KINDS) {
      const answer = await harness.gql<{ createBackupSchedule: { schedule: { id: string; weekdays: string[]; instance: { schedules: Array<{ id: string }> } } } }>(
        examples[0]!.text.replaceAll('<Instance id>', ids.get(kind)!.instanceId),
      );
      const error = answer.errors?.[0];
      refusals.set(kind, error ? { code: error.extensions?.code, message: error.message } : null);
      if (!error) {
        const schedule = answer.data!.createBackupSchedule.schedule;
        // OnApp takes no start time: its weekly schedule runs on the day it was made, as the answer says.
        expect(schedule.weekdays).toEqual(kind === 'onapp' ? [expect.any(String)] : ['MONDAY']);
        expect(schedule.instance.schedules.map((listed) => listed.id)).toContain(schedule.id);
      }
    }
    expect(Object.fromEntries(refusals)).toEqual({
      zomro: null,
      onapp: null,
      zstack: { code: 'UNSUPPORTED', message: 'provider zstack-test does not support CREATE_SCHEDULE' },
      danube: { code: 'UNSUPPORTED', message: 'provider danube-test does not support CREATE_SCHEDULE; its schedules are those of backup definitions: createBackupDefinition with a cron' },
    });
  });

  it('runs the note and sync block at Danube and ZStack, the one provider each (a newcomer found neither mutation shown)', async () => {
    const examples = readmeExamples().filter((candidate) => candidate.marker === "a Danube backup's note, a ZStack sync");
    expect(examples).toHaveLength(1);
    const listed = await harness.gql<{ providers: Array<{ id: string; kind: string }> }>('{ providers { id kind } }');
    const zstackId = listed.data!.providers.find((provider) => provider.kind === 'ZSTACK')!.id;
    const [note, sync] = documents(examples[0]!.text);
    const noted = await harness.gql<{ updateBackupNote: { backup: { note: string } } }>(note!.replaceAll('<Danube Backup id>', ids.get('danube')!.backupId));
    expect(noted.errors).toBeUndefined();
    expect(noted.data?.updateBackupNote.backup.note).toBe('before the 6.2 upgrade');
    const synced = await harness.gql<{ syncBackups: { operation: { id: string }; provider: { id: string } } }>(sync!.replaceAll('<ZStack account id>', zstackId));
    expect(synced.errors).toBeUndefined();
    expect(synced.data?.syncBackups.provider.id).toBe(zstackId);
  });

  // A newcomer pastes a block before reading the sentence about placeholders: the answer must say
  // what to send instead (createBackups' four "<id>" read "must not repeat an instance", syncBackups'
  // "<ZStack account id>" spoke of global ids from another config).
  it('answers each placeholder block sent as it is, placeholders and all, with a refusal saying what to send in their place', async () => {
    const pasted = readmeExamples().filter((example) => /<[A-Za-z0-9 ]+>/.test(example.text));
    expect(pasted.length).toBeGreaterThan(5);
    for (const example of pasted) {
      for (const document of documents(example.text).filter((text) => !text.trimStart().startsWith('subscription'))) {
        const answer = await harness.gql(freshKeys(document));
        const where = `${example.file}:${example.line}: ${document.slice(0, 60)}`;
        expect(answer.errors, where).toHaveLength(1);
        expect(answer.errors![0]!.message, where).toMatch(/not a placeholder|`providers \{ id \}` lists those it may/);
      }
    }
  });

  it('answers MakeBackup sent again at Zomro with the same name as the README quotes it (CONFLICT), and takes it under another name', async () => {
    const block = readmeExamples().find((example) => example.text.startsWith('mutation MakeBackup'));
    expect(block, 'the MakeBackup block').toBeDefined();
    const makeBackup = documents(block!.text)[0]!.replaceAll('<Instance id>', ids.get('zomro')!.otherInstanceId);
    expect((await harness.gql(freshKeys(makeBackup))).errors).toBeUndefined();
    const again = (await harness.gql(freshKeys(makeBackup))).errors?.[0];
    expect(again?.extensions?.code).toBe('CONFLICT');
    // The README wraps its prose: its quote is the message with each line break a space.
    const quote = `\`CONFLICT\` "${again!.message}"`;
    expect(readText('README.md').replace(/\s+/g, ' ').includes(quote), `README.md quotes ${quote}`).toBe(true);
    const renamed = makeBackup.replace('name: "before-upgrade"', 'name: "before-upgrade-2"');
    expect(renamed).not.toBe(makeBackup);
    expect((await harness.gql(freshKeys(renamed))).errors).toBeUndefined();
  });

  for (const kind of KINDS) {
    it(`runs the per-provider blocks at ${kind}, with its ids`, async () => {
      const mine = ids.get(kind)!;
      let operationId: string | null = null;
      const client = wsClient(harness.gateway.graphqlUrl);
      try {
        for (const example of readmeExamples().filter((candidate) => candidate.marker?.startsWith('per-provider'))) {
          const stopped = example.marker!.includes('stopped');
          for (const raw of documents(example.text)) {
            if (raw.includes('<Operation id>') && operationId === null) throw new Error(`${example.file}:${example.line}: <Operation id> before any createBackup`);
            const document: string = freshKeys(raw)
              .replaceAll('<Instance id>', stopped ? mine.stoppedInstanceId : mine.instanceId)
              .replaceAll('<Backup id>', stopped ? mine.stoppedBackupId : mine.backupId)
              .replaceAll('<Operation id>', operationId ?? '');
            expect(document, `${example.file}:${example.line}: an unknown placeholder`).not.toMatch(/"<[^>"]*>"/);
            const answer: { data?: unknown; errors?: unknown } = document.trimStart().startsWith('subscription') ? await wsRun(client, document) : await harness.gql<Record<string, { operation?: { id: string } }>>(document);
            expect(answer.errors, `${example.file}:${example.line} at ${kind}`).toBeUndefined();
            const created: string | undefined = (answer.data as Record<string, { operation?: { id?: string } } | undefined> | null | undefined)?.createBackup?.operation?.id;
            if (created) operationId = created;
          }
        }
      } finally {
        await client.dispose();
      }
      expect(operationId).not.toBeNull();
    });
  }
});
