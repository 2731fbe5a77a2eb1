import { quotedWord } from './quoted-word.js';

/** What the gateway was asked to do with the instance: take a backup of it, or rebuild it from one (the restore). */
export type AskedOfInstance = 'create' | 'restore';

interface Task {
  /** What the instance is going through, as a message says it. */
  doing: string;
  /** What the person asking has to do (or wait for) before sending again. */
  then: string;
}

const WAIT = 'wait for it to end (the instance shows a resting word, active or stopped, again)';
const CONFIRM_RESIZE = 'confirm or revert the resize in the panel';

/**
 * State words (`fotbo_status`, else `instance_status`; mapper.ts `instanceStateWord`) under which
 * Zomro's cloud takes no backup of the instance and rebuilds it from none. Zomro's backup and
 * schedule documents name no such state; the words are those its panel code treats as work in
 * progress (getInstanceMainInfo: stopping, "stoping", starting, creating, building, resizing,
 * processing, rebooting, rescuing, unrescuing, rebuilding, and `resized`), the documented
 * `instance_status` `verify_resize` (providers.md, billmanager constants), the modes only a person
 * ends (rescued, booted_from_iso, shelved: restore-progress.ts), and OpenStack's status words for
 * the same tasks (REBUILD, RESIZE, VERIFY_RESIZE, REVERT_RESIZE, MIGRATING, REBOOT, HARD_REBOOT, BUILD,
 * RESCUE, SHELVED_OFFLOADED), which a panel may pass on. Why: Fleio's cloud is OpenStack, whose Nova takes
 * a snapshot (createImage, a backup) only of an active, stopped, paused or suspended server with
 * no task under way, and rebuilds only an active, stopped or errored one with none (409
 * "in task_state ..." otherwise). A reinstall or OS change from the panel is a rebuild too
 * (`instances.fleio.rebuild` with an OS image): it shows the rebuild's word. Sent anyway, the
 * panel's refusal would be the only guard, and a panel that took a backup mid-resize or
 * mid-migration would hold a disk in the middle of being copied.
 */
const TASKS: ReadonlyMap<string, Task> = new Map([
  ...['resizing', 'resize', 'migrating'].map((word): [string, Task] => [word, { doing: 'being resized or moved to another host', then: WAIT }]),
  ['revert_resize', { doing: 'having a resize or move undone', then: WAIT }],
  ...['verify_resize', 'resized'].map((word): [string, Task] => [word, { doing: 'resized, the resize waiting to be confirmed', then: CONFIRM_RESIZE }]),
  ...['stopping', 'stoping', 'starting', 'rebooting', 'reboot', 'hard_reboot'].map((word): [string, Task] => [word, { doing: 'being stopped, started or rebooted', then: WAIT }]),
  ...['creating', 'building', 'build'].map((word): [string, Task] => [word, { doing: 'still being built', then: WAIT }]),
  ['processing', { doing: 'having a task carried out by the panel', then: WAIT }],
  ...['rescuing', 'unrescuing'].map((word): [string, Task] => [word, { doing: 'entering or leaving rescue mode', then: WAIT }]),
  ...['rescued', 'rescue'].map((word): [string, Task] => [word, { doing: 'in rescue mode', then: 'end rescue mode in the panel' }]),
  ['booted_from_iso', { doing: 'booted from an ISO image', then: 'boot it from its own disk again in the panel' }],
  ...['shelved', 'shelved_offloaded'].map((word): [string, Task] => [word, { doing: 'shelved', then: 'unshelve it in the panel' }]),
]);

/** The word as TASKS keys it: lower case, the panel's shown spaces (`replaceAll('_', ' ')`) read as underscores. */
function keyOf(state: string): string {
  return state.trim().toLowerCase().replace(/\s+/g, '_');
}

/** Whether the state word says a rebuild runs (`rebuilding`, the panel's word; OpenStack's REBUILD). */
export function rebuilding(state: string | null): boolean {
  return keyOf(state ?? '').startsWith('rebuild');
}

/**
 * Why `asked` cannot be sent while the instance shows `state`, saying what to do, or null when its
 * word allows it (a resting word, none, or one nobody documents: the panel's own refusal answers).
 * Nothing is sent to the panel on a refusal.
 */
export function busyRefusal(state: string | null, asked: AskedOfInstance): string | null {
  const shown = quotedWord(state ?? '');
  if (rebuilding(state)) {
    return asked === 'create'
      ? `the instance is being rebuilt (it shows ${shown}): its cloud takes no backup of a server mid-rebuild; wait for the restore under way to end, then create the backup again`
      : `the instance is still being rebuilt (it shows ${shown}): wait for the restore under way to end, then send this one again`;
  }
  const task = TASKS.get(keyOf(state ?? ''));
  if (task === undefined) return null;
  const refused = asked === 'create' ? 'its cloud takes no backup of a server in that state' : 'its cloud rebuilds no server in that state';
  const again = asked === 'create' ? 'create the backup again' : 'send the restore again';
  return `the instance is ${task.doing} (it shows ${shown}): ${refused}, so nothing was sent to Zomro; ${task.then}, then ${again}`;
}
