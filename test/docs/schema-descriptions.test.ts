import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/** What Apollo Federation and graphql-js add to the schema: theirs to describe, not ours. */
const NOT_OURS = /^(__|_|link__|federation__)/;

/**
 * Someone exploring the API in GraphiQL reads the docs pane, which shows
 * descriptions only: a type, field, argument or enum value without one is a
 * blank there (the schema's `#` comments never reach it).
 */
describe('the schema as GraphiQL shows it', () => {
  let harness: Harness;
  let schema: IntrospectionQuery['__schema'];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'zstack'] });
    const answer = await harness.gql<IntrospectionQuery>(getIntrospectionQuery({ inputValueDeprecation: true }));
    expect(answer.errors).toBeUndefined();
    schema = answer.data!.__schema;
  });
  afterAll(() => harness.close());

  it('describes every type, field, argument, input field and enum value of ours', () => {
    const blank: string[] = [];
    for (const type of schema.types) {
      if (NOT_OURS.test(type.name)) continue;
      if (!type.description) blank.push(`type ${type.name}`);
      if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
        for (const field of type.fields) {
          if (NOT_OURS.test(field.name)) continue;
          if (!field.description) blank.push(`${type.name}.${field.name}`);
          for (const argument of field.args) if (!argument.description) blank.push(`${type.name}.${field.name}(${argument.name})`);
        }
      }
      if (type.kind === 'INPUT_OBJECT') for (const field of type.inputFields) if (!field.description) blank.push(`${type.name}.${field.name}`);
      if (type.kind === 'ENUM') for (const value of type.enumValues) if (!value.description) blank.push(`${type.name}.${value.name}`);
    }
    expect(blank).toEqual([]);
  });

  it('says what null means on every nullable field of ours (a UI shows "none", "unknown" or "?" by it)', () => {
    const silent: string[] = [];
    for (const type of schema.types) {
      if (NOT_OURS.test(type.name) || (type.kind !== 'OBJECT' && type.kind !== 'INTERFACE')) continue;
      for (const field of type.fields) {
        if (NOT_OURS.test(field.name) || field.type.kind === 'NON_NULL') continue;
        if (!/\bnull\b/i.test(field.description ?? '')) silent.push(`${type.name}.${field.name}`);
      }
    }
    expect(silent).toEqual([]);
  });

  it("says that ZStack's empty schedules say nothing, as its capabilities and protection do", async () => {
    const answer = await harness.gql<{ providers: Array<{ capabilities: string[] }>; instances: { edges: Array<{ node: { schedules: unknown[]; protection: { scheduleKnown: boolean } } }> } }>(
      '{ providers { capabilities } instances(first: 1, kind: ZSTACK) { edges { node { schedules { id } protection { scheduleKnown } } } } }',
    );
    expect(answer.data!.providers.find((provider) => !provider.capabilities.includes('LIST_SCHEDULES'))).toBeDefined();
    expect(answer.data!.instances.edges[0]!.node).toEqual({ schedules: [], protection: { scheduleKnown: false } });
    const instance = schema.types.find((type) => type.name === 'Instance');
    const schedules = instance?.kind === 'OBJECT' ? instance.fields.find((field) => field.name === 'schedules') : undefined;
    // It said only "Null when the provider fails": a dashboard read [] as "nothing scheduled".
    expect(schedules?.description).toContain('ZStack');
  });

  it('lists the error codes the gateway answers as a described enum, the same codes', () => {
    const codes = schema.types.find((type) => type.name === 'ErrorCode');
    expect(codes?.kind === 'ENUM' ? codes.enumValues.map((value) => value.name) : null).toEqual([...ERROR_CODES]);
  });
});
