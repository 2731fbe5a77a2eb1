import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN, anonymousWith, type Principal } from '../../src/gateway/principal.js';
import { errorsFor, formattingFor, keepShown, schemaShownHere } from '../../src/graphql/schema-audience.js';

const viewer: Principal = { name: 'dashboard', keyId: 'k1', roles: new Set(['viewer']), providers: null };
const operator: Principal = { name: 'automation', keyId: 'k2', roles: new Set(['operator']), providers: null };
const admin: Principal = { name: 'ops', keyId: 'k3', roles: new Set(['admin']), providers: null };

describe('whom formatted errors go to (schema-audience.ts)', () => {
  it('shows the schema only within a run for a caller with the admin role', () => {
    expect(schemaShownHere()).toBe(false);
    expect(formattingFor(admin, schemaShownHere)).toBe(true);
    expect(formattingFor(ANONYMOUS_ADMIN, schemaShownHere)).toBe(true);
    for (const principal of [viewer, operator, anonymousWith('operator'), undefined]) expect(formattingFor(principal, schemaShownHere), principal?.name).toBe(false);
    expect(schemaShownHere()).toBe(false);
    // An admin run nested in a viewer's, and the viewer's again after it.
    expect(formattingFor(viewer, () => [formattingFor(admin, schemaShownHere), schemaShownHere()])).toEqual([true, false]);
    expect(() => formattingFor(admin, () => { throw new Error('formatting failed'); })).toThrow('formatting failed');
    expect(schemaShownHere()).toBe(false);
  });

  it("does not follow a run's async work: what is formatted after its first await is formatted for nobody", async () => {
    const seen = await formattingFor(admin, async () => {
      await Promise.resolve();
      return schemaShownHere();
    });
    expect(seen).toBe(false);
  });

  it('hands an admin the reading kept beside each error sent stripped, and every other caller the errors as sent', () => {
    const sent: GraphQLFormattedError = { message: 'Cannot query field "nam" on type "Instance".' };
    const shown: GraphQLFormattedError = { message: 'Cannot query field "nam" on type "Instance". Did you mean "name"?' };
    const plain: GraphQLFormattedError = { message: 'provider zomro is unavailable' };
    keepShown(sent, shown);
    expect(errorsFor(admin, [sent, plain])).toEqual([shown, plain]);
    expect(errorsFor(ANONYMOUS_ADMIN, [sent])).toEqual([shown]);
    for (const principal of [viewer, operator, anonymousWith('operator'), undefined]) expect(errorsFor(principal, [sent, plain]), principal?.name).toEqual([sent, plain]);
  });

  it("turns on no async hook: a promise made after an admin's formatting carries no async id (every upstream call's promises paid the hooks)", async () => {
    formattingFor(admin, schemaShownHere);
    await formattingFor(admin, async () => undefined);
    const promise = Promise.resolve();
    expect(Object.getOwnPropertySymbols(promise)).toEqual([]);
    await promise;
  });
});
