import { describe, expect, it } from 'vitest';

// Imported inside a test, not at the top: a module that throws while loading
// then fails this test (which the mutation run sees), rather than the collection of a file.
const MODULES: Record<string, () => Promise<Record<string, unknown>>> = {
  'domain/ids': () => import('../../src/domain/ids.js'),
  'domain/errors': () => import('../../src/domain/errors.js'),
  'domain/schedule': () => import('../../src/domain/schedule.js'),
  'domain/units': () => import('../../src/domain/units.js'),
  'gateway/ids': () => import('../../src/gateway/ids.js'),
  'gateway/principal': () => import('../../src/gateway/principal.js'),
  'server/auth': () => import('../../src/server/auth.js'),
  'graphql/errors': () => import('../../src/graphql/errors.js'),
  'graphql/limits': () => import('../../src/graphql/limits/index.js'),
  'upstream/policy': () => import('../../src/upstream/policy.js'),
  'providers/zomro/mapper': () => import('../../src/providers/zomro/mapper.js'),
  'providers/onapp/mapper': () => import('../../src/providers/onapp/mapper.js'),
  'providers/zstack/mapper': () => import('../../src/providers/zstack/mapper.js'),
  'providers/danube/mapper': () => import('../../src/providers/danube/mapper.js'),
};

describe('every module of the mutation scope loads', () => {
  for (const [name, load] of Object.entries(MODULES)) {
    it(name, async () => {
      expect(Object.keys(await load()).length).toBeGreaterThan(0);
    });
  }

  it('and works once loaded: ids decode, weekdays read, keys authenticate', async () => {
    const ids = await import('../../src/domain/ids.js');
    expect(ids.decodeId(ids.encodeId('Backup', 'p', ['k'])).type).toBe('Backup');
    const zomro = await import('../../src/providers/zomro/mapper.js');
    expect(zomro.parseRotationDays('Monday')).toEqual(['MONDAY']);
    const { ClientAuthenticator } = await import('../../src/server/auth.js');
    expect(new ClientAuthenticator([{ name: 'c', key: 'key-0123456789abcdef', roles: ['viewer'] }], null).authenticate('Bearer key-0123456789abcdef').name).toBe('c');
  });
});
