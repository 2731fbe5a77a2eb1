import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const UNREADABLE = 'u'.repeat(2000);
interface Listed {
  instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }> | null } }> };
}
type Answer = { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }>; text: string };
const errorsOf = (answer: Answer): string[] => (answer.errors ?? []).map((error) => `${error.path?.join('.') ?? '(no path)'}: ${error.extensions?.providerCode} ${/of its (\w+) list/.exec(error.message)?.[1] ?? error.message}`).sort();

/**
 * A row left out of a VM's list read by that VM's `protection` alone (its verdict read the list; no
 * list field, or only one filtered to another VM): the error came with no path, so no client could
 * tell which part of its answer may lack the row. It names the protection field's path; where a
 * list field showed the list too, the error stays at that field's path alone, as before.
 */
describe("a row left out of a list only a VM's protection read", () => {
  let harness: Harness;
  let x: { id: string; nativeId: string };
  let y: { id: string; nativeId: string };
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const listed = await harness.gql<Listed>('{ instances(first: 1000) { edges { node { id nativeId backups { id } } } } }');
    const withBackups = listed.data!.instances.edges.filter((edge) => (edge.node.backups?.length ?? 0) > 0).map((edge) => edge.node);
    [x, y] = [withBackups[0]!, withBackups[1]!];
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const ofY = [...simulator.backups.values()].find((backup) => backup.instanceId === y.nativeId)!;
    simulator.backups.set('planted', { ...ofY, id: UNREADABLE });
  });
  afterAll(() => harness.close());

  it.each([
    ['beside a backups field filtered to another VM', 'query($x: ID!, $y: ID!) { a: backups(first: 1000, filter: { instanceId: $x }) { totalCount } i: instance(id: $y) { protection { status } } }', ['i.protection: INVALID_RESPONSE backups']],
    ['alone', 'query($y: ID!) { i: instance(id: $y) { protection { status } } }', ['i.protection: INVALID_RESPONSE backups']],
    ['read by node(id:)', 'query($y: ID!) { n: node(id: $y) { ... on Instance { protection { status } } } }', ['n.protection: INVALID_RESPONSE backups']],
    ['twice', 'query($y: ID!) { i: instance(id: $y) { protection { status } } j: instance(id: $y) { p: protection { status } } }', ['i.protection: INVALID_RESPONSE backups', 'j.p: INVALID_RESPONSE backups']],
    ['beside its backups field: at that field alone', 'query($y: ID!) { i: instance(id: $y) { backups { id } protection { status } } }', ['i.backups: INVALID_RESPONSE backups']],
  ])('names the path of the field that read the list (%s)', async (_what, query, expected) => {
    const answer = await harness.gql(query, query.includes('$x') ? { x: x.id, y: y.id } : { y: y.id });
    expect(errorsOf(answer)).toEqual(expected);
    expect(answer.text).not.toContain(UNREADABLE.slice(0, 600));
  });
});
