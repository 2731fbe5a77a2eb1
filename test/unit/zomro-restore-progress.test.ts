import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTORE_GIVE_UP_MS, zomroConfigSchema } from '../../src/providers/zomro/config.js';
import { inErrorState, rebuilding, restoreProgress } from '../../src/providers/zomro/restore-progress.js';

const HOUR = 3_600_000;

describe('restoreProgress: the bound on a restore that never rests', () => {
  it('a word not at rest is RUNNING until the limit, then FAILED naming it', () => {
    for (const word of ['rebuilding', 'REBUILD', 'verify_resize', 'hibernating']) {
      expect(restoreProgress(word, true), word).toEqual(['RUNNING', null]);
      expect(restoreProgress(word, true, 2 * HOUR), word).toEqual(['FAILED', `the instance has not come to rest within 120 minutes of the restore: it still shows "${word}"`]);
    }
    expect(restoreProgress(null, true, 2 * HOUR)).toEqual(['FAILED', 'the instance showed no state word for 120 minutes after the restore']);
  });

  it('a resting word past the limit is read as it always was', () => {
    expect(restoreProgress('active', true, 2 * HOUR)).toEqual(['SUCCEEDED', null]);
    expect(restoreProgress('stopped', true, 2 * HOUR)).toEqual(['SUCCEEDED', null]);
    expect(restoreProgress('suspend', true, 2 * HOUR)).toEqual(['FAILED', 'the instance is suspended']);
  });

  it('a resting word is RUNNING until settled (it may be the state from before the rebuild), SUCCEEDED after', () => {
    for (const word of ['active', 'stopped', 'ACTIVE']) {
      expect(restoreProgress(word, false), word).toEqual(['RUNNING', null]);
      expect(restoreProgress(word, true), word).toEqual(['SUCCEEDED', null]);
    }
  });

  it('reads a word with spaces or a line end around it as the word', () => {
    expect(restoreProgress(' active\n', true)).toEqual(['SUCCEEDED', null]);
    expect(restoreProgress('\tsuspend ', false)).toEqual(['FAILED', 'the instance is suspended']);
    expect(restoreProgress(' shelved ', true)).toEqual(['FAILED', 'the instance is shelved ("shelved"), which only a person ends in the panel; the rebuild does not run until then: end it and restore again']);
  });

  it('a suspended instance ends the restore FAILED, written either way, settled or not', () => {
    for (const word of ['suspend', 'suspended', 'Suspended']) {
      expect(restoreProgress(word, false), word).toEqual(['FAILED', 'the instance is suspended']);
      expect(restoreProgress(word, true), word).toEqual(['FAILED', 'the instance is suspended']);
    }
  });

  it('a mode only a person ends is FAILED once settled, not before, whatever its case', () => {
    for (const [word, mode] of [['rescued', 'in rescue mode'], ['Booted_From_ISO', 'booted from an ISO image'], ['shelved', 'shelved'], ['shelved_offloaded', 'shelved']] as const) {
      expect(restoreProgress(word, false), word).toEqual(['RUNNING', null]);
      expect(restoreProgress(word, true), word).toEqual(['FAILED', `the instance is ${mode} ("${word}"), which only a person ends in the panel; the rebuild does not run until then: end it and restore again`]);
    }
  });

  it('quotes a provider word only when it is a short plain token', () => {
    const hostile = ['rebuild\u001b[2J', 'x'.repeat(41), 'two words', 'rebuild"\n'];
    for (const word of hostile) expect(restoreProgress(word, true, HOUR)[1], JSON.stringify(word)).toBe('the instance has not come to rest within 60 minutes of the restore: it still shows a word that is no plain status');
    expect(restoreProgress(`error\u001b[31m${'y'.repeat(500)}`, true)).toEqual(['FAILED', 'the instance is in an error state (a word that is no plain status)']);
    expect(restoreProgress('ERROR', false)).toEqual(['FAILED', 'the instance is in an error state ("ERROR")']);
  });

  it('restoreGiveUpMs: two hours by default, never under the largest restoreSettleMs, at most a day', () => {
    const entry = { id: 'z', kind: 'zomro', url: 'https://panel.example/', auth: { token: 't' } };
    expect(zomroConfigSchema.parse(entry).restoreGiveUpMs).toBe(DEFAULT_RESTORE_GIVE_UP_MS);
    expect(DEFAULT_RESTORE_GIVE_UP_MS).toBe(2 * HOUR);
    expect(zomroConfigSchema.safeParse({ ...entry, restoreGiveUpMs: HOUR - 1 }).success).toBe(false);
    expect(zomroConfigSchema.safeParse({ ...entry, restoreGiveUpMs: 24 * HOUR + 1 }).success).toBe(false);
    expect(zomroConfigSchema.parse({ ...entry, restoreGiveUpMs: HOUR }).restoreGiveUpMs).toBe(HOUR);
  });

  it('backupGiveUpMs: two hours by default, an hour to a day', () => {
    const entry = { id: 'z', kind: 'zomro', url: 'https://panel.example/', auth: { token: 't' } };
    expect(zomroConfigSchema.parse(entry).backupGiveUpMs).toBe(2 * HOUR);
    expect(zomroConfigSchema.safeParse({ ...entry, backupGiveUpMs: HOUR - 1 }).success).toBe(false);
    expect(zomroConfigSchema.safeParse({ ...entry, backupGiveUpMs: 24 * HOUR + 1 }).success).toBe(false);
    expect(zomroConfigSchema.parse({ ...entry, backupGiveUpMs: HOUR }).backupGiveUpMs).toBe(HOUR);
  });
});

describe('the words a restore is judged by before and after', () => {
  it('rebuilding: a word starting with rebuild, in any case and padding; none else', () => {
    for (const word of ['rebuilding', 'REBUILD', ' Rebuilding ']) expect(rebuilding(word), word).toBe(true);
    for (const word of [null, '', 'active', 'stopped', 'verify_resize', 'error', 'not rebuilding']) expect(rebuilding(word), String(word)).toBe(false);
  });

  it('inErrorState: any word naming an error, in any case; none else', () => {
    for (const word of ['error', 'ERROR', ' Error ', 'rebuild_error']) expect(inErrorState(word), word).toBe(true);
    for (const word of [null, '', 'active', 'rebuilding', 'suspend']) expect(inErrorState(word), String(word)).toBe(false);
  });
});
