import { readFileSync } from 'node:fs';
import { buildSchema as buildSchemaFromSdl, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.js';

/**
 * The public schema core every client is promised (a copy of the contract's
 * schema-core.graphql): every name, type and nullability kept, anything may be
 * added. A change that would break a client of the core (a field made
 * nullable, an argument made required, a type removed) fails here, before any
 * client meets it: `BackupDefinition.retention` was once made nullable.
 */
describe('the served schema keeps the contract core', () => {
  it('has no breaking change against test/fixtures/schema-core.graphql', () => {
    const core = buildSchemaFromSdl(readFileSync(new URL('../fixtures/schema-core.graphql', import.meta.url), 'utf8'));
    const breaking = findBreakingChanges(core, buildSchema()).map((change) => `${change.type}: ${change.description}`);
    expect(breaking).toEqual([]);
  });
});
