import { describe, expect, it } from 'vitest';
import { loadConfigObject } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/config-error.js';

/** A key or password pasted where a provider id goes: what --check-config and the start print. */
const PASTED = 'Zx9_SECRET_kq8Rw2Zx4LmT';
const PROVIDERS = [{ id: 'zomro-nl', kind: 'zomro', url: 'http://127.0.0.1:9/', auth: { token: 'zomro-token-0000' } }];

function problemsOf(config: unknown): string[] {
  try {
    loadConfigObject(config, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('an id no provider has, written in a form no id takes: named, never quoted', () => {
  it("in a client's providers: the line says what is wrong and lists the providers' ids, without the text written", () => {
    const problems = problemsOf({ providers: PROVIDERS, clients: [{ name: 'ops', key: 'k'.repeat(24), roles: ['viewer'], providers: [PASTED] }] });
    expect(problems).toEqual([
      `clients[0].providers[0] (client ops): no provider has the id written here (not quoted: it is not of an id's form, small letters, digits and "-", and may be a secret put in the wrong place); the providers' ids: "zomro-nl"`,
    ]);
  });

  it("as a key of protection.perProvider: neither the line's path nor its message holds it", () => {
    const problems = problemsOf({ allowAnonymous: true, providers: PROVIDERS, protection: { perProvider: { [PASTED]: 24 } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^protection\.perProvider: no provider has the id written here \(not quoted/);
    expect(problems.join('\n')).not.toContain('SECRET');
  });

  it('an id of the usual form is still quoted, at its own path', () => {
    expect(problemsOf({ allowAnonymous: true, providers: PROVIDERS, protection: { perProvider: { lab: 24 } } })).toEqual([`protection.perProvider.lab: no provider has id "lab"; the providers' ids: "zomro-nl"`]);
  });
});
