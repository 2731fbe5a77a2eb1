import { describe, expect, it } from 'vitest';
import { lockedRefusal } from '../../src/providers/onapp/locked-refusal.js';

describe('lockedRefusal', () => {
  it('reads an OnApp 422 naming `locked` as CONFLICT with what to do, without Rails\' `base ` key', () => {
    const refusal = lockedRefusal('onapp-1', 'base Virtual server is locked');
    expect(refusal).toMatchObject({ code: 'CONFLICT', details: { provider: 'onapp-1', providerCode: 'HTTP_422' } });
    expect(refusal?.message).toMatch(/^Virtual server is locked: OnApp acts on no locked virtual server or backup, .*send it again once that transaction ends/);
  });

  it('keeps `base` where it is not the leading key, and reads `locked` in any case', () => {
    expect(lockedRefusal('onapp-1', 'Backup database LOCKED')?.message).toMatch(/^Backup database LOCKED: OnApp/);
    expect(lockedRefusal('onapp-1', 'the base backup is locked')?.message).toMatch(/^the base backup is locked: /);
  });

  it('answers null for a 422 that does not name `locked` as a whole word', () => {
    for (const words of ['Label is too long', 'the disk is unlocked', 'blocked by policy', 'lockedness', '']) {
      expect(lockedRefusal('onapp-1', words), words).toBeNull();
    }
  });
});
