import { describe, expect, it } from 'vitest';
import { busyRefusal, rebuilding } from '../../src/providers/zomro/busy-instance.js';

describe('zomro busyRefusal: the state words under which a backup or a restore is not sent', () => {
  it('lets resting words, none, and words nobody documents through (the panel answers those)', () => {
    for (const word of [null, '', 'active', 'stopped', 'ACTIVE', 'suspend', 'error', 'something_new']) {
      expect(busyRefusal(word, 'create')).toBeNull();
      expect(busyRefusal(word, 'restore')).toBeNull();
    }
  });

  it('keeps the rebuild messages, for any word starting rebuild', () => {
    expect(busyRefusal('REBUILD', 'create')).toBe('the instance is being rebuilt (it shows "REBUILD"): its cloud takes no backup of a server mid-rebuild; wait for the restore under way to end, then create the backup again');
    expect(busyRefusal('rebuilding', 'restore')).toBe('the instance is still being rebuilt (it shows "rebuilding"): wait for the restore under way to end, then send this one again');
    expect(rebuilding(' Rebuilding ')).toBe(true);
    expect(rebuilding(null)).toBe(false);
  });

  it('reads the panel\'s shown spaces and OpenStack\'s capitals as the stored word', () => {
    expect(busyRefusal('verify resize', 'create')).toContain('resized, the resize waiting to be confirmed (it shows a word that is no plain status)');
    expect(busyRefusal('VERIFY_RESIZE', 'restore')).toBe('the instance is resized, the resize waiting to be confirmed (it shows "VERIFY_RESIZE"): its cloud rebuilds no server in that state, so nothing was sent to Zomro; confirm or revert the resize in the panel, then send the restore again');
    expect(busyRefusal('HARD_REBOOT', 'create')).toContain('being stopped, started or rebooted');
    // OpenStack's word while a resize or migration is undone (the target cleaned up, the source restarting).
    expect(busyRefusal('REVERT_RESIZE', 'restore')).toBe('the instance is having a resize or move undone (it shows "REVERT_RESIZE"): its cloud rebuilds no server in that state, so nothing was sent to Zomro; wait for it to end (the instance shows a resting word, active or stopped, again), then send the restore again');
    expect(busyRefusal('shelved_offloaded', 'restore')).toContain('shelved (it shows "shelved_offloaded")');
    expect(busyRefusal('booted_from_iso', 'create')).toContain('boot it from its own disk again in the panel, then create the backup again');
    expect(busyRefusal('stoping', 'create')).toContain('wait for it to end (the instance shows a resting word, active or stopped, again), then create the backup again');
  });
});
