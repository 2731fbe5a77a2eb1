// One build of dist/ at a time. Two `npm start`s after an edit (the README's
// `--simulators` and `--config` terminals), or test files that each make sure
// dist/ is built, both found dist/ stale and rebuilt it together: one removed
// dist/ while the other wrote into it, and a start could fail or run half a build.
// The lock is a file created exclusively (O_EXCL) holding the builder's pid;
// one whose process is gone (a build killed mid-way) is taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

const WAIT_STEP_MS = 100;
/** A build takes seconds; one holding the lock this long is stuck, and waiting on says so. */
const GIVE_UP_AFTER_MS = 10 * 60_000;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, and someone else's.
    return error.code === 'EPERM';
  }
}

function holderOf(path) {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return Number.NaN;
  }
}

/** An empty lock file older than a builder's create-then-write can be. */
function emptyForLong(path) {
  try {
    return Date.now() - statSync(path).mtimeMs > 5_000;
  } catch {
    return false;
  }
}

/**
 * Takes the lock at `path`, waiting while a live process holds it; returns the
 * function that gives it back (also called when this process exits).
 * `onWait` is told once, with the holder's pid, when it has to wait.
 */
export function takeBuildLock(path, onWait = () => {}) {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.removeListener('exit', release);
        if (holderOf(path) === process.pid) unlinkSync(path);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = holderOf(path);
    // Empty: a builder between its create and its write (read again), or one killed right there.
    if (Number.isNaN(holder) && !emptyForLong(path)) {
      sleep(WAIT_STEP_MS);
      continue;
    }
    if (Number.isNaN(holder) || !alive(holder)) {
      // Gone without giving it back. Another waiter may remove it first: either way, try again.
      try {
        if (Object.is(holderOf(path), holder)) unlinkSync(path);
      } catch {
        // already removed
      }
      continue;
    }
    if (!told) {
      onWait(holder);
      told = true;
    }
    if (Date.now() - started > GIVE_UP_AFTER_MS) throw new Error(`another build (pid ${holder}) has held ${path} for ${GIVE_UP_AFTER_MS / 60_000} minutes: stop it, or remove the file if no build is running`);
    sleep(WAIT_STEP_MS);
  }
}
