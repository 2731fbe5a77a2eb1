import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultTimezones, defaultTimezoneWarning } from '../../src/config/default-timezone.js';
import { futureToleranceHoursOf } from '../../src/config/future-tolerance.js';
import { validateConfig } from '../../src/config/load.js';
import { createAdapter } from '../../src/providers/registry.js';

const config = (...providers: Array<Record<string, unknown>>) => validateConfig({ allowAnonymous: true, providers });
const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 'a-long-token' } };
const onapp = { id: 'flex', kind: 'onapp', url: 'https://cloud.example.com', auth: { username: 'ops', password: 'a-long-key' } };
const zstack = { id: 'lab', kind: 'zstack', url: 'http://zs:8080', backupStorageUuid: 'a'.repeat(32), auth: { accountName: 'adm', password: 'long-enough' } };
const danube = { id: 'dc1', kind: 'danube', url: 'https://dc/api', auth: { apiKey: 'a-long-api-key' } };

describe('defaultTimezones: accounts whose zone-less dates are read as UTC because no zone was set', () => {
  it('names each Zomro and ZStack account without `timezone` by id and path; OnApp and Danube, and accounts that name a zone (UTC too), are not named', () => {
    const found = defaultTimezones(
      config(zomro, { ...zomro, id: 'zomro-de', timezone: 'Europe/Berlin' }, onapp, zstack, { ...zstack, id: 'lab-utc', timezone: 'UTC' }, danube),
    );
    expect(found).toEqual([
      { provider: 'zomro-nl', path: 'providers[0].timezone' },
      { provider: 'lab', path: 'providers[3].timezone' },
    ]);
  });

  it('says what is read as UTC and what to write', () => {
    expect(defaultTimezoneWarning({ provider: 'lab', path: 'providers[3].timezone' })).toBe(
      "providers[3].timezone (account lab) is not set: this API's dates carry no zone, so they are read as UTC; if the panel's clock is on another zone every backup reads older or younger by the offset (and protection with it): set the panel's zone, e.g. timezone: Europe/Amsterdam, or timezone: UTC to confirm",
    );
  });

  it('an account without `timezone` still runs on UTC', () => {
    const [entry] = config(zomro).providers;
    expect(entry?.timezone).toBeUndefined();
    const adapter = createAdapter(entry!, { logger: pino({ level: 'silent' }) });
    expect(adapter.account.timezone).toBe('UTC');
  });
});

describe('futureToleranceHoursOf: how far ahead each account\'s backup dates may be', () => {
  it('a day for a Zomro or ZStack account without `timezone` (its dates may be read on the wrong zone), two hours for every other', () => {
    expect(futureToleranceHoursOf(config(zomro, { ...zomro, id: 'zomro-de', timezone: 'Europe/Berlin' }, onapp, zstack, { ...zstack, id: 'lab-utc', timezone: 'UTC' }, danube))).toEqual({
      'zomro-nl': 24,
      'zomro-de': 2,
      flex: 2,
      lab: 24,
      'lab-utc': 2,
      dc1: 2,
    });
  });
});
