// The pass lock: flock(2) on the state directory itself, placed by flock(1) on this process's open file
// description, so the kernel releases it when the pass ends however it ends. Only who can open the directory can
// lock it: as root that is root alone (the directory is 0700), so no other user can hold it and stop the healing.
// The lock belongs to the directory, not to a path: a bind mount or a symlink reaches the same lock.
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateError } from '../errors.js';
import { describeErrno } from '../text/errno.js';
import { printable } from '../text/printable.js';

/** A held lock; release() is idempotent. Dying releases it too. */
export interface Lock {
  /** The locked state directory. */
  readonly dir: string;
  release(): Promise<void>;
}

// flock's exit code when the lock is taken (EX_TEMPFAIL), told apart from its own errors (1).
const BUSY = 75;
// Where flock(1) lives (util-linux); cron's PATH may be shorter.
const TOOL_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/** Takes the lock of this state directory (created 0700 when missing); undefined when another pass holds it. */
export async function acquireLock(stateDir: string): Promise<Lock | undefined> {
  const dir = resolve(stateDir);
  // Loaded here, not with the module: a pass that writes nothing takes no lock and loads no child_process.
  const { spawnSync } = await import('node:child_process');
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Node opens with O_CLOEXEC: restart scripts and their daemons never inherit it, so never hold the lock.
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NONBLOCK);
  } catch (err) {
    throw new StateError(`cannot take the lock of ${printable(dir)}: ${describeErrno(err)}`, { cause: err });
  }
  // flock(1) locks the open file description it inherits as fd 3, which this process keeps after it exits.
  const run = spawnSync('flock', ['-x', '-n', '-E', String(BUSY), '3'], {
    stdio: ['ignore', 'ignore', 'pipe', fd],
    env: { PATH: TOOL_PATH },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    closeSync(fd);
    if (run.status === BUSY) return undefined;
    // A Ctrl-C reaches flock(1) too: it is in this pass's process group.
    const why = run.error
      ? `cannot run flock(1) from util-linux: ${describeErrno(run.error)}`
      : run.signal
        ? `flock(1) was killed by ${run.signal}`
        : `flock(1) failed: ${run.stderr.trim() || `exit ${run.status}`}`;
    throw new StateError(`cannot take the lock of ${printable(dir)}: ${printable(why)}`);
  }
  let released = false;
  return {
    dir,
    release: async () => {
      if (released) return;
      released = true;
      closeSync(fd);
    },
  };
}
