import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withClients, type Harness } from '../helpers/harness.js';

const KEYS = { scoped: 'scoped-kind-key-0123456789abcdef', admin: 'admin-kind-key-0123456789abcdef' };

/**
 * A key scoped to the Zomro account asks for ZStack's instances, which the config has but the key may
 * not see. "no provider account of kind ZSTACK" read as the config having none (a newcomer looked
 * for a missing account); the words say it is this key that sees none, as for a kind the config lacks
 * (the key learns nothing of accounts it may not see, not even whether they exist).
 */
describe('a scoped key filtering by a kind it may see no account of', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'zstack'],
      configure: withClients([
        { name: 'ops', key: KEYS.admin, roles: ['admin'] },
        { name: 'team-a', key: KEYS.scoped, roles: ['viewer'], providers: ['zomro-test'] },
      ]),
    });
  });
  afterAll(() => harness.close());

  const ask = (key: string, kind: string) => harness.gql(`{ instances(kind: ${kind}) { totalCount } }`, {}, { key });

  it('says this key may see no account of that kind, naming none, whether the config has one (ZSTACK) or not (ONAPP)', async () => {
    const [hidden, absent] = await Promise.all([ask(KEYS.scoped, 'ZSTACK'), ask(KEYS.scoped, 'ONAPP')]);
    expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
    expect(hidden.errors?.[0]?.message).toBe('no provider account of kind ZSTACK that this key may see; `providers { id kind }` lists the accounts it may');
    expect(hidden.text).not.toContain('zstack-test');
    expect(errorCodes(absent)).toEqual(['NOT_FOUND']);
    expect(absent.errors?.[0]?.message).toBe(hidden.errors?.[0]?.message?.replace('ZSTACK', 'ONAPP'));
  });

  it('a key that may see every account is told the config has none of that kind (guard)', async () => {
    const absent = await ask(KEYS.admin, 'ONAPP');
    expect(errorCodes(absent)).toEqual(['NOT_FOUND']);
    expect(absent.errors?.[0]?.message).toBe('no provider account of kind ONAPP');
    expect((await ask(KEYS.admin, 'ZSTACK')).errors).toBeUndefined();
  });
});
