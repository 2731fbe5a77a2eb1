import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { repeatedMutationField } from '../../src/graphql/limits/mutation-repeated-fields.js';

const check = (text: string, operationName?: string | null) => repeatedMutationField(parse(text), operationName);
const words = (text: string, operationName?: string | null): string | undefined => check(text, operationName)?.message;

describe('repeatedMutationField: a mutation payload asking for one field under two response names', () => {
  it('refuses one field under two aliases below a root field, QUERY_TOO_COMPLEX, naming both and the field', () => {
    const error = check('mutation { createBackup(instanceId: "i") { a: operation { id } b: operation { id } } }');
    expect(error?.message).toBe(
      "A mutation's answer may ask for each field once (`a` and `b` both ask for `operation`): an answer that has acted is never refused, so one repeated under aliases is refused before anything acts (limits.maxAnswerBytes). Ask for each field once; read more with a query.",
    );
    expect(error?.originalError).toBeInstanceOf(GatewayError);
    expect((error?.originalError as GatewayError).code).toBe('QUERY_TOO_COMPLEX');
    expect((error?.originalError as GatewayError).message).toBe(error?.message);
    // An alias beside the field's own name is a second name too.
    expect(words('mutation { m { operation { id } again: operation { id } } }')).toContain('`operation` and `again` both ask for `operation`');
  });

  it('lets through a field asked once, or again under the same name (merged, one answer), and __typename under any names', () => {
    expect(check('mutation { m { operation { id } operation { state } same: raw same: raw } }')).toBeNull();
    expect(check('mutation { m { a: __typename b: __typename __typename } }')).toBeNull();
    expect(check('mutation { m { a: one b: two } }')).toBeNull();
  });

  it('counts no root field: each is its own act', () => {
    expect(check('mutation { a: createBackup(instanceId: "1") { id } b: createBackup(instanceId: "2") { id } }')).toBeNull();
  });

  it('reads no query or subscription, and only the operation asked for', () => {
    const repeated = '{ m { a: raw b: raw } }';
    expect(check(`query ${repeated}`)).toBeNull();
    expect(check(`subscription ${repeated}`)).toBeNull();
    const both = `query Q ${repeated} mutation M ${repeated}`;
    expect(check(both, 'Q')).toBeNull();
    expect(words(both, 'M')).toContain('both ask for `raw`');
    // Two operations and no name: none is run, none read.
    expect(check(both)).toBeNull();
    expect(check(both, null)).toBeNull();
    expect(check(`mutation ${repeated}`, null)).not.toBeNull();
  });

  it('sees repeats through inline fragments and fragment spreads, and merges places as execution does', () => {
    expect(words('mutation { m { a: raw ... on T { b: raw } } }')).toContain('both ask for `raw`');
    expect(words('mutation { m { a: raw ...F } } fragment F on T { b: raw }')).toContain('both ask for `raw`');
    // The same fragment spread twice selects the same keys again.
    expect(check('mutation { m { ...F ...F ... on T { ...F } } } fragment F on T { a: raw }')).toBeNull();
    // A spread of a fragment the document does not define adds nothing.
    expect(check('mutation { m { a: raw ...Missing } }')).toBeNull();
    // Two selections of one key are one place of the answer: their fields merge, and repeat there.
    expect(words('mutation { m { x { a: raw } x { b: raw } } }')).toContain('both ask for `raw`');
    expect(words('mutation { m { x { y { a: raw } } x { y { b: raw } } } }')).toContain('both ask for `raw`');
    // Different keys are different places.
    expect(check('mutation { m { x { a: raw } y { b: raw } } }')).toBeNull();
    // A fragment spread in two places is read in each.
    expect(words('mutation { m { x { ...F } } } fragment F on T { a: raw b: raw }')).toContain('both ask for `raw`');
  });

  it("keeps a client's long names short in its words", () => {
    const long = 'n'.repeat(100);
    const sixty = 's'.repeat(60);
    const message = words(`mutation { m { ${long}: raw ${sixty}: raw } }`);
    // A name is one run (clippedStart): cut, none of it is shown, as the log's scrub finds a credential's hex form only whole.
    expect(message).toContain(`\`...\` and \`${sixty}\` both ask for \`raw\``);
    expect(words(`mutation { m { ${'t'.repeat(61)}: raw b: raw } }`)).toContain(`\`...\` and \`b\``);
    expect(words(`mutation { m { a: ${long} b: ${long} } }`)).toContain(`both ask for \`...\``);
  });

  it('refuses a document whose fragments multiply its fields past what it reads (200,000), and reads one below it', () => {
    // Fragment Fk selects ten keys, each holding F(k-1): about 10^(k+1) field nodes from a few lines.
    const fragments = (depth: number): string => {
      const keys = Array.from({ length: 10 }, (_, index) => `k${index}`);
      let text = `fragment F0 on T { ${keys.join(' ')} }`;
      for (let level = 1; level <= depth; level++) text += ` fragment F${level} on T { ${keys.map((key) => `${key} { ...F${level - 1} }`).join(' ')} }`;
      return text;
    };
    // F4: 111,110 fields below the root's one, each key once.
    expect(check(`mutation { m { ...F4 } } ${fragments(4)}`)).toBeNull();
    // F5: 1,111,110.
    expect(words(`mutation { m { ...F5 } } ${fragments(5)}`)).toContain('(the document selects too many fields to tell)');
    // Exactly 200,000 read, then one more: m (1), F4 (111,110), eight keys each holding F3 (8 x 11,111) and leaves.
    const places = Array.from({ length: 8 }, (_, index) => `p${index} { ...F3 }`).join(' ');
    expect(check(`mutation { m { ...F4 ${places} z } } ${fragments(4)}`)).toBeNull();
    expect(words(`mutation { m { ...F4 ${places} z y } } ${fragments(4)}`)).toContain('(the document selects too many fields to tell)');
  });
});
