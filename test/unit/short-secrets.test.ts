import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { shortSecrets, shortSecretWarning } from '../../src/config/short-secrets.js';
import { declareDanubeSecrets } from '../../src/providers/danube/secrets.js';
import { declareOnappSecrets } from '../../src/providers/onapp/secrets.js';
import { PROVIDER_MODULES, type ProviderKind } from '../../src/providers/registry.js';
import { declareZomroSecrets } from '../../src/providers/zomro/secrets.js';
import { declareZstackSecrets } from '../../src/providers/zstack/secrets.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const config = (...providers: Array<Record<string, unknown>>) => validateConfig({ allowAnonymous: true, providers });
const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/' };
const onapp = { id: 'flex', kind: 'onapp', url: 'https://cloud.example.com' };
const zstack = { id: 'lab', kind: 'zstack', url: 'http://zs:8080', backupStorageUuid: 'a'.repeat(32) };
const danube = { id: 'dc1', kind: 'danube', url: 'https://dc/api' };

describe('shortSecrets: configured secrets the scrubber does not look for', () => {
  it('names each secret under 6 characters by account and key, never its value; names and long secrets are not named', () => {
    const found = shortSecrets(
      config(
        { ...zomro, auth: { token: 'tok12' } },
        { ...onapp, auth: { username: 'ops', password: 'k3y' } },
        { ...zstack, auth: { accountName: 'adm', password: 'long-enough' } },
        { ...danube, auth: { username: 'me', password: 'pw123' } },
        { ...danube, id: 'dc2', auth: { apiKey: 'abcdef' } },
      ),
    );
    expect(found).toEqual([
      { provider: 'zomro-nl', setting: 'auth.token', path: 'providers[0].auth.token' },
      { provider: 'flex', setting: 'auth.password', path: 'providers[1].auth.password' },
      { provider: 'dc1', setting: 'auth.password', path: 'providers[3].auth.password' },
    ]);
    const warning = shortSecretWarning(found[1]!);
    expect(warning).toBe(
      'providers[1].auth.password (account flex) is shorter than 6 characters: it is not scrubbed from provider text (errors, names, raw records) before answers and logs; configure a longer one',
    );
    expect(warning).not.toContain('k3y');
  });

  it('finds nothing in a config whose secrets are all long enough', () => {
    expect(shortSecrets(config({ ...zomro, auth: { username: 'u', password: 'p'.repeat(6) } }, { ...zstack, auth: { sessionId: 's'.repeat(32) } }))).toEqual([]);
  });

  it("each kind's secretKeys are the auth keys its declareSecrets hands the scrubber (a new secret key cannot be left out of the warning)", () => {
    // Each takes its own kind's auth; `never` lets one table hold all four.
    const declare: Record<ProviderKind, (secrets: SecretSet, auth: never) => void> = {
      zomro: declareZomroSecrets,
      onapp: declareOnappSecrets,
      zstack: declareZstackSecrets,
      danube: declareDanubeSecrets,
    };
    for (const kind of Object.keys(PROVIDER_MODULES) as ProviderKind[]) {
      // Every auth key the kind's schema knows, each with a long value of its own.
      const keys = Object.keys(PROVIDER_MODULES[kind].configSchema.shape.auth.shape);
      expect(keys.length, kind).toBeGreaterThan(0);
      const auth = Object.fromEntries(keys.map((key) => [key, `value-of-${key}-0123`]));
      const secrets = new SecretSet();
      declare[kind](secrets, auth as never);
      const scrubbed = keys.filter((key) => secrets.scrub(` ${auth[key]!} `) === ` ${REDACTED} `);
      expect(scrubbed.sort(), kind).toEqual([...PROVIDER_MODULES[kind].secretKeys].sort());
    }
  });
});
