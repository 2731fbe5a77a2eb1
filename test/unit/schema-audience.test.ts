import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN, anonymousWith, type Principal } from '../../src/gateway/principal.js';
import { formattingFor, schemaShownHere } from '../../src/graphql/schema-audience.js';

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
  });

  it("follows each run's own async work, never another's: an admin's run does not leak into a viewer's continuing beside it", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen = await Promise.all([
      formattingFor(viewer, async () => {
        await gate;
        return schemaShownHere();
      }),
      formattingFor(admin, async () => {
        // The viewer's wait ends from within the admin's run.
        release();
        await Promise.resolve();
        return schemaShownHere();
      }),
    ]);
    expect(seen).toEqual([false, true]);
    // An admin run nested in a viewer's, and the viewer's again after it.
    expect(formattingFor(viewer, () => [formattingFor(admin, schemaShownHere), schemaShownHere()])).toEqual([true, false]);
  });
});
