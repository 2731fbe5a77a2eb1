import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/domain/errors.js';
import { SecretTextGuard } from '../../src/gateway/secret-text.js';
import type { Principal } from '../../src/gateway/principal.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/** The window arithmetic of limits.secretTextRefusals, with time passed in (the HTTP test cannot wait an hour). */

const principal = (keyId: string): Principal => ({ name: keyId, keyId, roles: new Set(['operator']), providers: null });

function guardAt(clock: { now: number }, perKey = 2, windowMs = 10_000) {
  const first = new SecretSet();
  first.add('Qx7vLm2pRt9wZk4n');
  const second = new SecretSet();
  second.add('Hb3sTy8dKe6uWa1c');
  let counted = 0;
  const guard = new SecretTextGuard(() => [first, second], { perKey, windowMs }, pino({ level: 'silent' }), () => (counted += 1), () => clock.now);
  return { guard, counted: () => counted };
}

const codeOf = async (act: () => void | Promise<void>): Promise<string | null> => {
  try {
    await act();
    return null;
  } catch (error) {
    return isGatewayError(error) ? error.code : 'THROWN';
  }
};

describe('SecretTextGuard', () => {
  it('refuses a piece of any account secret and lets other text through, counting each refusal', async () => {
    const clock = { now: 0 };
    const { guard, counted } = guardAt(clock, 10);
    const writer = principal('k1');
    expect(await codeOf(() => guard.check(writer, 'r', 'updateBackupNote', [['note', 'see Ke6uWa1 ok']]))).toBe(null);
    expect(await codeOf(() => guard.check(writer, 'r', 'updateBackupNote', [['note', 'x 8dKe6uWa1c']]))).toBe('BAD_USER_INPUT');
    expect(await codeOf(() => guard.check(writer, 'r', 'updateBackupNote', [['note', null], ['name', 'Lm2pRt9wZk']]))).toBe('BAD_USER_INPUT');
    expect(counted()).toBe(2);
  });

  it('refuses full-width or other compatibility forms of a piece, which a provider normalising its text (NFKC) would send back as the piece itself', async () => {
    const { guard } = guardAt({ now: 0 }, 10);
    const writer = principal('k1');
    const fullWidth = [...'8dKe6uWa1c'].map((character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0)).join('');
    expect(fullWidth.normalize('NFKC')).toBe('8dKe6uWa1c');
    expect(await codeOf(() => guard.check(writer, 'r', 'updateBackupNote', [['note', `x ${fullWidth}`]]))).toBe('BAD_USER_INPUT');
    // guard: full-width text holding no piece is written
    expect(await codeOf(() => guard.check(writer, 'r', 'updateBackupNote', [['note', 'ｎｉｇｈｔｌｙ ｂａｃｋｕｐ']]))).toBe(null);
  });

  it('holds a key back once it has used its refusals, until its window ends, and no other key', async () => {
    const clock = { now: 0 };
    const { guard } = guardAt(clock);
    const writer = principal('k1');
    for (let attempt = 0; attempt < 2; attempt++) expect(await codeOf(() => guard.check(writer, 'r', 'createBackup', [['name', 'Qx7vLm2pRt']]))).toBe('BAD_USER_INPUT');
    clock.now = 9_999;
    expect(await codeOf(() => guard.refuseHeld(writer))).toBe('FORBIDDEN');
    expect(await codeOf(() => guard.check(writer, 'r', 'createBackup', [['name', 'nightly']]))).toBe('FORBIDDEN');
    expect(await codeOf(() => guard.refuseHeld(principal('k2')))).toBe(null);
    clock.now = 10_000;
    expect(await codeOf(() => guard.refuseHeld(writer))).toBe(null);
    expect(await codeOf(() => guard.check(writer, 'r', 'createBackup', [['name', 'nightly']]))).toBe(null);
  });
});
