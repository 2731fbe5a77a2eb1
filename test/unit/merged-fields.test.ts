import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter, formatGraphQLError } from '../../src/graphql/errors.js';
import { MAX_MERGED_FIELDS, mayMergeTooMany, mergedFieldsError, mergedFieldsRefusal } from '../../src/graphql/limits/merged-fields.js';

const repeat = (text: string, times: number): string => Array.from({ length: times }, () => text).join(' ');
const refusal = (query: string) => mergedFieldsRefusal(parse(query))?.message ?? null;

describe('the merged-fields limit', () => {
  it(`refuses a place that merges more than ${MAX_MERGED_FIELDS} fields with sub-fields or arguments, naming it, and allows ${MAX_MERGED_FIELDS}`, () => {
    expect(refusal(`{ providers { ${repeat('p { id }', MAX_MERGED_FIELDS + 1)} } }`)).toBe(
      `Merged fields limit of ${MAX_MERGED_FIELDS} exceeded: "providers.p" is selected ${MAX_MERGED_FIELDS + 1} times with arguments or sub-fields; select it once.`,
    );
    expect(refusal(`{ providers { ${repeat('p { id }', MAX_MERGED_FIELDS)} } }`)).toBeNull();
    expect(refusal(`{ ${repeat('p(first: 1)', MAX_MERGED_FIELDS + 1)} }`)).toContain('"p" is selected 101 times');
  });

  it('counts a response name, alias or not, and leaves leaf fields alike alone (a client\'s fragments select `id` many times)', () => {
    expect(refusal(`{ ${repeat('a: p { id }', MAX_MERGED_FIELDS + 1)} }`)).toContain('"a" is selected');
    expect(refusal(`{ ${repeat('p { id } q: p { id }', 60)} }`)).toBeNull();
    expect(refusal(`{ providers { ${repeat('id', 4_000)} } }`)).toBeNull();
  });

  it('merges through inline fragments and named fragments, as the answer does', () => {
    expect(refusal(`{ providers { ${repeat('... on P { p { id } }', MAX_MERGED_FIELDS + 1)} } }`)).toContain('"providers.p"');
    const fragments = Array.from({ length: MAX_MERGED_FIELDS + 1 }, (_, index) => `fragment F${index} on P { p { id } }`).join(' ');
    const spreads = Array.from({ length: MAX_MERGED_FIELDS + 1 }, (_, index) => `...F${index}`).join(' ');
    expect(refusal(`{ providers { ${spreads} } } ${fragments}`)).toContain('"providers.p" is selected 101 times');
  });

  it('merges the sub-fields of a name across its copies: 51 copies of x with two q each put 102 q in one place', () => {
    expect(refusal(`{ ${repeat('x { q { id } q { id } }', 51)} }`)).toContain('"x.q" is selected 102 times');
    expect(refusal(`{ ${repeat('x { q { id } }', 51)} }`)).toBeNull();
  });

  it('reads a fragment that spreads itself once (graphql-js refuses the cycle), and stops a spread that multiplies fields', () => {
    expect(refusal('{ providers { ...A } } fragment A on P { p { id } ...A }')).toBeNull();
    const levels = Array.from({ length: 20 }, (_, index) => `fragment F${index} on P { ...F${index + 1} ...F${index + 1} }`).join(' ');
    expect(refusal(`{ providers { ...F0 } } ${levels} fragment F20 on P { id }`)).toBe(
      `Merged fields limit of ${MAX_MERGED_FIELDS} exceeded: the query spreads its fragments into more than 200000 fields.`,
    );
  });

  it('checks every operation of a document and every place in it, not only the first; a fragment no operation spreads is not a place', () => {
    const many = repeat('p { id }', MAX_MERGED_FIELDS + 1);
    expect(refusal(`query A { id } query B { providers { ${many} } }`)).toContain('"providers.p"');
    expect(refusal(`{ a { id } b { ${many} } }`)).toContain('"b.p"');
    expect(refusal(`{ a { id } } fragment Unused on P { ${many} }`)).toBeNull();
  });

  it('is QUERY_TOO_COMPLEX for the client, in the refusal\'s words', () => {
    const error = mergedFieldsError({ message: 'Merged fields limit of 100 exceeded: "p" is selected 101 times with arguments or sub-fields; select it once.' });
    expect(formatGraphQLError(createErrorFormatter({ introspection: false }), error)).toEqual({ message: error.message, extensions: { code: 'QUERY_TOO_COMPLEX' } });
  });

  it('keeps the path it shows short: a name may be as long as a body', () => {
    const long = `n${'x'.repeat(1_000)}`;
    const message = refusal(`{ ${long} { ${repeat('p { id }', MAX_MERGED_FIELDS + 1)} } }`)!;
    // Cut inside a name (one run, clippedStart): none of that name is shown, as the log's scrub finds a credential's hex form only whole.
    expect(message).toContain('"..."');
    expect(message.length).toBeLessThan(400);
    const exact = `n${'x'.repeat(199)}`;
    // A path cut in its last key keeps the keys before it (a "." ends a run) but the 7 characters before the cut.
    expect(refusal(`{ ${exact} { ${repeat('p { id }', MAX_MERGED_FIELDS + 1)} } }`)).toContain(`"${exact.slice(0, 200 - 7)}...`);
    expect(refusal(`{ ${exact.slice(0, 198)} { ${repeat('p { id }', MAX_MERGED_FIELDS + 1)} } }`)).toContain(`.p" is selected`);
  });

  it(`looks further only at a source with more than ${MAX_MERGED_FIELDS} marks of such fields ({ or ()`, () => {
    expect(mayMergeTooMany('{'.repeat(MAX_MERGED_FIELDS))).toBe(false);
    expect(mayMergeTooMany(`${'{'.repeat(MAX_MERGED_FIELDS / 2)}${'('.repeat(MAX_MERGED_FIELDS / 2 + 1)}`)).toBe(true);
    expect(mayMergeTooMany('query { instances { edges { node { id name backups { id } } } } }')).toBe(false);
    expect(mayMergeTooMany(`{ ${'id '.repeat(5_000)}}`)).toBe(false);
  });
});
