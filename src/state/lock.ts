// The pass lock: a Linux abstract socket whose name is derived from the state directory, released by the
// kernel when the process dies, and who holds it when it is taken (I/O over /proc/net/unix).
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { StateError } from '../errors.js';
import { codeOf, messageOf } from '../text/errno.js';

// sizeof(sun_path) is 108: a leading NUL and 107 bytes. Node 20's libuv binds abstract names padded with NULs to
// the full length, later ones bind the exact length; a name that fills sun_path is the same address for both, so
// passes run by binaries built on different Node versions still exclude each other.
const NAME_BYTES = 107;

/**
 * A Linux abstract unix socket name (leading NUL: no file, gone when the last fd closes) derived from the
 * canonical state directory, so every pass on that directory contends for the same name and others do not.
 */
export function buildLockName(canonicalStateDir: string): string {
  return `\0${`autoheal-once:${hash128(canonicalStateDir)}:`.padEnd(NAME_BYTES, '.')}`;
}

// Four 32-bit FNV-1a hashes with different offsets: 32 hex digits. Only state directories of one host compete,
// so no cryptographic strength is needed, and node:crypto would cost every pass a few ms to load.
function hash128(text: string): string {
  let out = '';
  for (const offset of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x2e3f0b6d]) {
    let h = offset;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** The inode of the socket bound to `name` (with its leading NUL) in the text of /proc/net/unix, if listed. */
export function findSocketInode(procNetUnix: string, name: string): number | undefined {
  // Columns: Num RefCount Protocol Flags Type St Inode Path; an abstract path is shown with `@` for each NUL.
  const shown = name.replace(/\0/g, '@');
  for (const line of procNetUnix.split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns.length >= 8 && columns.slice(7).join(' ') === shown) return Number(columns[6]);
  }
  return undefined;
}

/** A held lock; release() is idempotent. Dying releases it too. */
export interface Lock {
  /** The abstract socket name without the leading NUL, as `ss -xl` shows it after `@` (107 bytes, dot-padded). */
  readonly name: string;
  release(): Promise<void>;
}

/** Takes the lock of this state directory; undefined when another process holds it. Creates nothing on disk. */
export async function acquireLock(stateDir: string): Promise<Lock | undefined> {
  const name = buildLockName(canonicalPath(stateDir));
  // Nobody is meant to connect; whoever does is hung up on at once.
  const server = createServer((socket) => socket.destroy());
  try {
    await listen(server, name);
  } catch (err) {
    if (codeOf(err) === 'EADDRINUSE') return undefined;
    throw new StateError(`cannot take the lock of ${resolve(stateDir)}: ${messageOf(err)}`, { cause: err });
  }
  // The lock must never be what keeps the process alive. libuv opens the socket with SOCK_CLOEXEC, so restart
  // scripts (and the daemons they start) do not inherit it and cannot hold the lock after the pass ends.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    name: name.slice(1),
    release: () => (released ??= new Promise((done) => server.close(() => done()))),
  };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen({ path }, () => {
      server.off('error', fail);
      ok();
    });
  });
}

/** The state directory with symlinks resolved, so that one reached through a symlink gets the same lock. */
// It may not exist yet: the nearest existing ancestor is resolved and the rest appended, which gives the same
// answer before and after it is created.
export function canonicalPath(dir: string): string {
  const path = resolve(dir);
  try {
    return realpathSync(path);
  } catch (err) {
    if (codeOf(err) !== 'ENOENT' || dirname(path) === path) return path;
    return join(canonicalPath(dirname(path)), basename(path));
  }
}

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
