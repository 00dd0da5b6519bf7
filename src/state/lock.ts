// One pass at a time per state directory (I/O). Node has no flock(); a listening Linux abstract unix socket is a
// lock the kernel releases when its holder dies, even by SIGKILL: bind() fails with EADDRINUSE while it is held.
// Abstract sockets are per network namespace: passes in different namespaces (containers) do not see each other.
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { StateError } from '../errors.js';
import { codeOf, messageOf } from './durable.js';
import { buildLockName } from './lock-name.js';

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
