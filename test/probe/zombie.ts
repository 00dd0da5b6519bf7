// A real zombie for tests: a shell forks `sleep 0` and then execs into a process that never reaps it.
import { join } from 'node:path';
import { killPid, procStat, startChild, tempDir, waitFor, waitForPidFile } from '../helpers/util.js';

/** Starts the parent, waits until its child is a zombie; stop() kills the parent by pid (init reaps). */
export async function startZombie(): Promise<{ parent: number; zombie: number; pidFile: string; stop: () => Promise<void> }> {
  const tmp = tempDir();
  const pidFile = join(tmp.dir, 'zombie.pid');
  // `$!` is the background child; after `exec`, sleep 30 is its parent and never calls wait(). The child
  // exits only once the shell has become `sleep` (dash reaps a child that exits before its exec), and only
  // builtins run in the shell before that (a foreground command would make it wait, and reap the child).
  const script = `(while read -r c < /proc/$$/comm && [ "$c" != sleep ]; do :; done; exec sleep 0) &
echo $! > ${pidFile}; exec sleep 30`;
  const child = startChild('/bin/sh', ['-c', script]);
  const parent = child.pid!;
  const stop = async (): Promise<void> => {
    await killPid(parent);
    tmp.cleanup();
  };
  try {
    const zombie = await waitForPidFile(pidFile);
    await waitFor(() => procStat(zombie)?.state === 'Z', `pid ${zombie} to become a zombie`);
    return { parent, zombie, pidFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
