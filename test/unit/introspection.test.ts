import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN, anonymousWith, type Principal } from '../../src/gateway/principal.js';
import { INTROSPECTION_DISABLED_MESSAGE, introspectionCheck, introspectionFieldsOf } from '../../src/graphql/introspection.js';

const keyed = (roles: Array<'viewer' | 'operator' | 'admin'>): Principal => ({ name: 'client', keyId: 'a'.repeat(64), roles: new Set(roles), providers: null });

/** Each hides `__schema` or `__type` a different way; the names are what the refusal points at. */
const HIDDEN: Record<string, string> = {
  plain: '{ __schema { queryType { name } } }',
  type: '{ __type(name: "Instance") { name } }',
  alias: '{ a: __schema { queryType { name } } }',
  fragment: '{ ...Schema } fragment Schema on Query { s: __schema { types { name } } }',
  inlineFragment: '{ ... on Query { __type(name: "Query") { name } } }',
  nestedFragments: '{ ...Outer } fragment Outer on Query { ... { ...Inner } } fragment Inner on Query { __schema { queryType { name } } }',
  otherOperation: 'query Listed { providers { id } } query Hidden { __schema { queryType { name } } }',
};

describe('introspection per caller', () => {
  const closed = introspectionCheck(false);
  const open = introspectionCheck(true);

  it('finds __schema and __type however they are written, and nothing in a document without them', () => {
    for (const [how, query] of Object.entries(HIDDEN)) expect(introspectionFieldsOf(parse(query)).map((field) => field.name.value), how).toHaveLength(1);
    expect(introspectionFieldsOf(parse('{ __typename providers { __typename id } }'))).toEqual([]);
    // A string holding the name is no field.
    expect(introspectionFieldsOf(parse('{ instances(filter: { nameContains: "__schema" }) { totalCount } }'))).toEqual([]);
  });

  it('refuses them to viewers, operators and anonymous viewers, BAD_USER_INPUT, pointing at each field', () => {
    for (const principal of [keyed(['viewer']), keyed(['operator']), keyed(['viewer', 'operator']), anonymousWith('viewer'), anonymousWith('operator')]) {
      for (const [how, query] of Object.entries(HIDDEN)) {
        const refusal = closed(parse(query), principal);
        expect(refusal?.message, how).toBe(INTROSPECTION_DISABLED_MESSAGE);
        expect(refusal?.extensions, how).toEqual({ code: 'BAD_USER_INPUT' });
      }
    }
    const both = closed(parse('{ __schema { queryType { name } } t: __type(name: "Query") { name } }'), keyed(['viewer']));
    expect(both?.locations).toEqual([
      { line: 1, column: 3 },
      { line: 1, column: 35 },
    ]);
  });

  it('lets admin keys through, and the anonymous caller when anonymousRole is admin (as _service { sdl } does)', () => {
    for (const query of Object.values(HIDDEN)) {
      expect(closed(parse(query), keyed(['admin']))).toBeNull();
      expect(closed(parse(query), keyed(['viewer', 'admin']))).toBeNull();
      expect(closed(parse(query), ANONYMOUS_ADMIN)).toBeNull();
    }
  });

  it('lets everyone through when introspection is on, and __typename always', () => {
    for (const query of Object.values(HIDDEN)) expect(open(parse(query), keyed(['viewer']))).toBeNull();
    expect(closed(parse('{ __typename providers { __typename id } }'), keyed(['viewer']))).toBeNull();
  });

  it('walks a document once: the same node gets the same answer, whoever asks first', () => {
    const document = parse(HIDDEN.alias!);
    expect(closed(document, keyed(['admin']))).toBeNull();
    expect(closed(document, keyed(['viewer']))?.message).toBe(INTROSPECTION_DISABLED_MESSAGE);
    expect(closed(document, keyed(['admin']))).toBeNull();
    expect(introspectionFieldsOf(document)).toBe(introspectionFieldsOf(document));
  });

  it('says how to get it: an admin key, or the config key', () => {
    expect(INTROSPECTION_DISABLED_MESSAGE).toContain('admin key');
    expect(INTROSPECTION_DISABLED_MESSAGE).toContain('`introspection: true` in the config');
  });
});
