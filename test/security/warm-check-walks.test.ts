import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variableCostWalks } from '../../src/graphql/limits/cost-rule.js';
import { requiredUsageWalks } from '../../src/graphql/null-variables.js';
import { errorCodes, startHarness, withLimits, type Harness } from '../helpers/harness.js';

/**
 * The checks run with a request's variables (the cost with them, a variable sent null where a
 * value is required) walked the whole document on every request that sent variables, the same
 * document each time. Each walk that depends on the document alone is now done once per parsed
 * document (Apollo hands a warm request the document it parsed before); the answers are the same.
 */
describe('checks with variables walk a document once, and answer as before', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: 400, maxListArgument: 20 }) });
  });
  afterAll(() => harness?.close());

  it('prices a document whose variables are ids and flags once, however often it is sent', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 2) { edges { node { id } } } }');
    const ids = listed.data!.instances.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(2);
    const query = 'query WalkedOnce($id: ID!, $on: Boolean = true) { node(id: $id) { id } providers @include(if: $on) { id } }';
    const first = await harness.gql<{ node: { id: string } }>(query, { id: ids[0] });
    expect(first.errors).toBeUndefined();
    const walks = variableCostWalks.count;
    for (const [index, sent] of [{ id: ids[1], on: false }, { id: ids[0], on: true }].entries()) {
      const again = await harness.gql<{ node: { id: string }; providers?: unknown[] }>(query, sent);
      expect(again.errors).toBeUndefined();
      expect(again.data?.node.id).toBe(sent.id);
      expect(again.data?.providers === undefined).toBe(index === 0);
    }
    expect(variableCostWalks.count).toBe(walks);
  });

  it('prices a document whose variables hold lists on every request, by what each sends', async () => {
    // A list variable: its length is the request's, so the price cannot be kept.
    const listed = 'query Listed($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const representation = { __typename: 'Instance', id: 'x' };
    const walks = variableCostWalks.count;
    const within = await harness.gql(listed, { r: [representation] });
    expect(errorCodes(within)).not.toContain('QUERY_TOO_COMPLEX');
    const over = await harness.gql(listed, { r: Array.from({ length: 21 }, () => representation) });
    expect(over.status).toBe(400);
    expect(errorCodes(over)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(over.errors?.[0]?.message).toMatch(/list arguments of 21 items in all > 20/);
    expect(variableCostWalks.count).toBe(walks + 2);
  });

  it('finds where a document needs its nullable variables once, and refuses each null sent there alike', async () => {
    const query = 'query($id: Boolean = true, $on: Boolean = true) { providers @include(if: $on) { id } instances(first: 1) @include(if: $id) { totalCount } }';
    const walks = requiredUsageWalks.count;
    // No null sent: nothing to look up. With both sent null, the first usage in the document is named, as before.
    expect((await harness.gql(query, { id: false })).errors).toBeUndefined();
    expect(requiredUsageWalks.count).toBe(walks);
    const answers = [];
    for (const variables of [{ id: null }, { on: null }, { id: null, on: null }, { id: null }]) answers.push(await harness.gql(query, variables));
    expect(requiredUsageWalks.count).toBe(walks + 1);
    expect(answers.map((answer) => [answer.status, errorCodes(answer), answer.errors?.[0]?.message])).toEqual([
      [400, ['BAD_USER_INPUT'], 'Variable "$id" is null where a value of type "Boolean!" is required: send a value, or leave $id out for its default (true).'],
      [400, ['BAD_USER_INPUT'], 'Variable "$on" is null where a value of type "Boolean!" is required: send a value, or leave $on out for its default (true).'],
      [400, ['BAD_USER_INPUT'], 'Variable "$on" is null where a value of type "Boolean!" is required: send a value, or leave $on out for its default (true).'],
      [400, ['BAD_USER_INPUT'], 'Variable "$id" is null where a value of type "Boolean!" is required: send a value, or leave $id out for its default (true).'],
    ]);
  });
});
