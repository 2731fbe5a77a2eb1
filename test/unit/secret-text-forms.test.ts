import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../../src/config/schema.js';
import { isGatewayError } from '../../src/domain/errors.js';
import type { Principal } from '../../src/gateway/principal.js';
import { quotedForms } from '../../src/gateway/quoted-forms.js';
import { GROUP_SHARE, type RefusalCount, SECRET_TEXT_REFUSALS_DEFAULT, SecretTextGuard } from '../../src/gateway/secret-text.js';
import type { SharedCounter, WindowCount } from '../../src/state/shared-counter.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * The forms a provider sends client-written text back in (quoted-forms.ts), each as that provider
 * writes it, and what the write check says and logs when one holds a form of a credential, alone
 * and with a count shared between replicas. secret-text-guard.test.ts holds the window arithmetic.
 */

const principal = (keyId: string): Principal => ({ name: `client-${keyId}`, keyId, roles: new Set(['operator']), providers: null });
const DANUBE_LIKE_KEY = 'sim-danube-api-key-4e8a0c';

function secretsOf(secret: string): SecretSet {
  const set = new SecretSet();
  set.add(secret);
  return set;
}

/** One Redis window shared by the guards given it, as replicas share one. */
function sharedWindow(clock: { now: number }, windowMs: number): SharedCounter {
  let startedAt = 0;
  let count = 0;
  return {
    limit: 0,
    add: async (): Promise<WindowCount> => {
      if (count === 0 || clock.now - startedAt >= windowMs) [startedAt, count] = [clock.now, 0];
      count += 1;
      return { count, msBeforeNext: startedAt + windowMs - clock.now };
    },
  };
}

function logLines(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

async function refusal(act: () => void | Promise<void>): Promise<{ code: string; message: string; details: unknown } | null> {
  try {
    await act();
    return null;
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
}

describe('quotedForms', () => {
  it('is the text as written, in JSON, in ASCII-only HTML-safe JSON, with \\/, XML-escaped, URL-encoded, as a form body and percent-encoded as RFC 3986 reserves', () => {
    expect(quotedForms(`a/b <c>&d='e' "f" é\n!~`)).toEqual([
      `a/b <c>&d='e' "f" é\n!~`,
      String.raw`"a/b <c>&d='e' \"f\" é\n!~"`,
      String.raw`"a/b \u003cc\u003e\u0026d\u003d\u0027e\u0027 \"f\" \u00e9\n!~"`,
      String.raw`"a\/b <c>&d='e' \"f\" é\n!~"`,
      `a/b &lt;c&gt;&amp;d=&apos;e&apos; &quot;f&quot; é\n!~`,
      `a%2Fb%20%3Cc%3E%26d%3D'e'%20%22f%22%20%C3%A9%0A!~`,
      `a%2Fb+%3Cc%3E%26d%3D%27e%27+%22f%22+%C3%A9%0A%21%7E`,
      `a%2Fb%20%3Cc%3E%26d%3D%27e%27%20%22f%22%20%C3%A9%0A%21~`,
    ]);
  });

  it('adds the forms of the NFKC text when it differs, each form once', () => {
    expect(quotedForms('ｎｏｔｅ')).toEqual(['ｎｏｔｅ', '"ｎｏｔｅ"', String.raw`"\uff4e\uff4f\uff54\uff45"`, '%EF%BD%8E%EF%BD%8F%EF%BD%94%EF%BD%85', 'note', '"note"']);
    expect(quotedForms('note')).toEqual(['note', '"note"']);
  });
});

describe('SecretTextGuard refusals', () => {
  it('refuses text a form body alone carries as a piece (`!` is %21 there, as written in encodeURIComponent)', async () => {
    const guard = new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 10, windowMs: 60_000 }, pino({ level: 'silent' }));
    expect(quotedForms('-key!-4e8').filter((form) => secretsOf(DANUBE_LIKE_KEY).scrub(form) !== form)).toEqual(['-key%21-4e8']);
    expect((await refusal(() => guard.check(principal('k1'), 'r', 'createBackup', [['name', '-key!-4e8']])))?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses text only a strict percent-encoding carries as a piece (`*`, left as it is by encodeURIComponent and a form body, is %2A in Python\'s quote and PHP\'s rawurlencode)', async () => {
    const guard = new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 10, windowMs: 60_000 }, pino({ level: 'silent' }));
    expect(quotedForms('-key*-4e8').filter((form) => secretsOf(DANUBE_LIKE_KEY).scrub(form) !== form)).toEqual(['-key%2A-4e8']);
    expect((await refusal(() => guard.check(principal('k1'), 'r', 'createBackup', [['name', '-key*-4e8']])))?.code).toBe('BAD_USER_INPUT');
  });

  it('names the field in words and details, and logs the key, operation, field and count, never the text', async () => {
    const { logger, lines } = logLines();
    const guard = new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 5, windowMs: 60_000 }, logger, undefined, () => 1_000);
    const answer = await refusal(() => guard.check(principal('k1'), 'req-1', 'updateBackupNote', [['name', 'nightly'], ['note', 'x api-key-4e8a y']]));
    expect(answer).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'note holds text the gateway redacts from provider answers (a form of a configured credential): write it without that text',
      details: { fields: ['note'] },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ client: 'client-k1', keyId: 'k1', operation: 'updateBackupNote', field: 'note', requestId: 'req-1', refusalsInWindow: 1, limit: 5 });
    expect(lines[0]?.msg).toBe('write refused: a field holds text the gateway redacts from provider answers (limits.secretTextRefusals)');
    expect(JSON.stringify(lines[0])).not.toContain('api-key');
  });

  it('says how long a held key waits, in whole seconds rounded up and at least 1, from a window that began late', async () => {
    const clock = { now: 50_000 };
    const guard = new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 1, windowMs: 10_000 }, pino({ level: 'silent' }), undefined, () => clock.now);
    await refusal(() => guard.check(principal('k1'), 'r', 'createBackup', [['name', 'api-key-4e8a']]));
    clock.now = 52_500;
    expect(await refusal(() => guard.refuseHeld(principal('k1')))).toEqual({
      code: 'FORBIDDEN',
      message: 'writes refused: this key wrote text the gateway redacts too often; retry after 8 s (limits.secretTextRefusals)',
      details: { retryAfterSeconds: 8 },
    });
    clock.now = 59_999.5;
    expect((await refusal(() => guard.refuseHeld(principal('k1'))))?.details).toEqual({ retryAfterSeconds: 1 });
    clock.now = 60_000;
    expect(await refusal(() => guard.refuseHeld(principal('k1')))).toBe(null);
  });

  it('holds a key on the shared count another replica brought past perKey, until the shared window ends, and logs the higher count', async () => {
    const clock = { now: 1_000 };
    const shared = sharedWindow(clock, 10_000);
    const { logger, lines } = logLines();
    const replica = (log: Logger = pino({ level: 'silent' })) =>
      new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 2, windowMs: 10_000 }, log, undefined, () => clock.now, shared);
    const [first, second] = [replica(), replica(logger)];
    await refusal(() => first.check(principal('k1'), 'r', 'createBackup', [['name', 'api-key-4e8a']]));
    clock.now = 3_000;
    expect(await refusal(() => second.refuseHeld(principal('k1')))).toBe(null);
    await refusal(() => second.check(principal('k1'), 'r', 'createBackup', [['name', 'api-key-4e8a']]));
    expect(lines[0]).toMatchObject({ refusalsInWindow: 2 });
    expect((await refusal(() => second.refuseHeld(principal('k1'))))?.details).toEqual({ retryAfterSeconds: 8 });
    expect(await refusal(() => first.refuseHeld(principal('k1')))).toBe(null);
    expect(await refusal(() => second.refuseHeld(principal('k2')))).toBe(null);
    clock.now = 10_999;
    expect((await refusal(() => second.refuseHeld(principal('k1'))))?.details).toEqual({ retryAfterSeconds: 1 });
    clock.now = 11_000;
    expect(await refusal(() => second.refuseHeld(principal('k1')))).toBe(null);
    expect(await refusal(() => second.check(principal('k1'), 'r', 'createBackup', [['name', 'nightly']]))).toBe(null);
  });

  it('holds a key by the process clock when none is given', async () => {
    const guard = new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 1, windowMs: 60_000 }, pino({ level: 'silent' }));
    await refusal(() => guard.check(principal('k1'), 'r', 'createBackup', [['name', 'api-key-4e8a']]));
    expect((await refusal(() => guard.refuseHeld(principal('k1'))))?.code).toBe('FORBIDDEN');
  });

  it('has the schema default as its default for services built without a config', () => {
    expect(SECRET_TEXT_REFUSALS_DEFAULT).toEqual(limitsSchema.parse({}).secretTextRefusals);
  });
});

describe('SecretTextGuard refusals of callers without a key', () => {
  const anonymous: Principal = { name: 'anonymous', keyId: 'anonymous', roles: new Set(['operator']), providers: null };
  const countsOf = (last: number): RefusalCount[] => [
    { key: `address 198.18.5.${last}`, group: false, who: 'this address' },
    { key: 'network 198.18.5.0/24', group: true, who: "this address's /24" },
  ];
  /** A shared count per key, as Redis keeps one per key. */
  const keyedWindows = (clock: { now: number }, limit: number): SharedCounter => {
    const windows = new Map<string, SharedCounter>();
    return { limit, add: (key) => (windows.get(key) ?? windows.set(key, sharedWindow(clock, 10_000)).get(key)!).add(key) };
  };

  it("holds an address after perKey and its /24 after GROUP_SHARE times perKey, on another replica too by the shared group count", async () => {
    const clock = { now: 1_000 };
    const [shared, groups] = [keyedWindows(clock, 1), keyedWindows(clock, GROUP_SHARE)];
    const replica = () => new SecretTextGuard(() => [secretsOf(DANUBE_LIKE_KEY)], { perKey: 1, windowMs: 10_000 }, pino({ level: 'silent' }), undefined, () => clock.now, shared, groups);
    const [first, second] = [replica(), replica()];
    for (let last = 1; last < GROUP_SHARE; last++) {
      expect((await refusal(() => first.check(anonymous, 'r', 'createBackup', [['name', 'api-key-4e8a']], countsOf(last))))?.code).toBe('BAD_USER_INPUT');
      expect(await refusal(() => first.refuseHeld(anonymous, countsOf(last)))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^writes refused: this address wrote/) });
    }
    expect(await refusal(() => second.refuseHeld(anonymous, countsOf(50)))).toBe(null);
    expect((await refusal(() => second.check(anonymous, 'r', 'createBackup', [['name', 'api-key-4e8a']], countsOf(GROUP_SHARE))))?.code).toBe('BAD_USER_INPUT');
    expect(await refusal(() => second.refuseHeld(anonymous, countsOf(50)))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^writes refused: this address's \/24 wrote/) });
    expect(await refusal(() => second.refuseHeld(anonymous, [{ key: 'address 198.18.6.1', group: false, who: 'this address' }]))).toBe(null);
  });
});
