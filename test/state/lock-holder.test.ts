// findLockHolder: the pid and uid behind a busy lock, so a squatter is told apart from another pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { acquireLock } from '../../src/state/lock.js';
import { findLockHolder } from '../../src/state/lock.js';
import { fixture, killPid, tempDir, waitFor } from '../helpers/util.js';

const lockModule = fileURLToPath(new URL('../../src/state/lock.js', import.meta.url));
const asRoot = process.getuid?.() === 0;

test('findLockHolder: nobody when the lock is free; this process while it holds it', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  assert.equal(findLockHolder(tmp.dir), undefined);
  const lock = await acquireLock(tmp.dir);
  assert.ok(lock);
  assert.deepEqual(findLockHolder(tmp.dir), { pid: process.pid, uid: process.getuid!(), command: readComm(process.pid) });
  await lock.release();
  assert.equal(findLockHolder(tmp.dir), undefined);
});

test('findLockHolder names an unprivileged process squatting on the lock name, with its uid', { skip: !asRoot && 'needs root to start a process as nobody' }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  chmodSync(tmp.dir, 0o755);
  const child = spawn(process.execPath, [fixture('bin', 'hold-lock.mjs'), lockModule, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'], uid: 65534, gid: 65534 });
  t.after(() => killPid(child.pid!));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await waitFor(() => out.includes('\n'), 'the squatter to take the lock', 10_000);
  assert.match(out, /^locked /);
  assert.equal(await acquireLock(tmp.dir), undefined);
  assert.deepEqual(findLockHolder(tmp.dir), { pid: child.pid, uid: 65534, command: readComm(child.pid!) });
});

function readComm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
}
