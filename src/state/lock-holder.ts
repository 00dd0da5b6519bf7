// Who holds the lock of a state directory (I/O, /proc). Anyone can bind an abstract name, so a busy lock may be
// a process squatting on it rather than another pass: the caller tells them apart by the holder's uid.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { buildLockName, findSocketInode } from './lock-name.js';
import { canonicalPath } from './lock.js';

/** A process that has the lock's socket open. */
export interface LockHolder {
  pid: number;
  /** Owner of /proc/PID: the holder's effective uid. */
  uid: number;
  /** /proc/PID/comm, as `ps -o comm` shows it. */
  command: string;
}

/**
 * The holder of the lock, when /proc shows it: undefined when the lock is free or the holder is invisible (a
 * process of another user when not root, or in another pid namespace). Scans every process's fds: call it only
 * once acquireLock has failed.
 */
export function findLockHolder(stateDir: string): LockHolder | undefined {
  let inode: number | undefined;
  try {
    inode = findSocketInode(readFileSync('/proc/net/unix', 'utf8'), buildLockName(canonicalPath(stateDir)));
  } catch {
    return undefined;
  }
  if (inode === undefined) return undefined;
  const target = `socket:[${inode}]`;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    if (holdsSocket(entry, target)) return describe(Number(entry));
  }
  return undefined;
}

function holdsSocket(pid: string, target: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to look at
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
    } catch {
      return false;
    }
  });
}

function describe(pid: number): LockHolder | undefined {
  try {
    const uid = statSync(`/proc/${pid}`).uid;
    const command = readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
    return { pid, uid, command };
  } catch {
    return undefined; // exited meanwhile
  }
}
