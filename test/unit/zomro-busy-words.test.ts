import { describe, expect, it } from 'vitest';
import { busyRefusal } from '../../src/providers/zomro/busy-instance.js';

const WAIT = 'wait for it to end (the instance shows a resting word, active or stopped, again)';
const CONFIRM = 'confirm or revert the resize in the panel';

/** Every word busy-instance.ts lists, what the instance is going through, and what the caller has to do. */
const WORDS: ReadonlyArray<[string, string, string]> = [
  ...['resizing', 'resize', 'migrating'].map((word): [string, string, string] => [word, 'being resized or moved to another host', WAIT]),
  ['revert_resize', 'having a resize or move undone', WAIT],
  ...['verify_resize', 'resized'].map((word): [string, string, string] => [word, 'resized, the resize waiting to be confirmed', CONFIRM]),
  ...['stopping', 'stoping', 'starting', 'rebooting', 'reboot', 'hard_reboot'].map((word): [string, string, string] => [word, 'being stopped, started or rebooted', WAIT]),
  ...['creating', 'building', 'build'].map((word): [string, string, string] => [word, 'still being built', WAIT]),
  ['processing', 'having a task carried out by the panel', WAIT],
  ...['rescuing', 'unrescuing'].map((word): [string, string, string] => [word, 'entering or leaving rescue mode', WAIT]),
  ...['rescued', 'rescue'].map((word): [string, string, string] => [word, 'in rescue mode', 'end rescue mode in the panel']),
  ['booted_from_iso', 'booted from an ISO image', 'boot it from its own disk again in the panel'],
  ...['shelved', 'shelved_offloaded'].map((word): [string, string, string] => [word, 'shelved', 'unshelve it in the panel']),
];

describe('zomro busyRefusal: each listed word, whole messages', () => {
  it.each(WORDS)('%s', (word, doing, then) => {
    expect(busyRefusal(word, 'create')).toBe(`the instance is ${doing} (it shows "${word}"): its cloud takes no backup of a server in that state, so nothing was sent to Zomro; ${then}, then create the backup again`);
    expect(busyRefusal(word, 'restore')).toBe(`the instance is ${doing} (it shows "${word}"): its cloud rebuilds no server in that state, so nothing was sent to Zomro; ${then}, then send the restore again`);
  });

  it('reads every run of spaces the panel shows, around and inside the word, as one underscore', () => {
    expect(busyRefusal('  Booted  From\tISO ', 'create')).toContain('the instance is booted from an ISO image');
    expect(busyRefusal('hard reboot', 'restore')).toContain('being stopped, started or rebooted');
  });

  it('refuses no word that only holds a listed one', () => {
    for (const word of ['xresizing', 'resizing_done', 'build_ok', 'not rebuilding', 'Xrebuild']) {
      expect(busyRefusal(word, 'create')).toBeNull();
      expect(busyRefusal(word, 'restore')).toBeNull();
    }
  });
});
