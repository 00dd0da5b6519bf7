// acquireLock: one holder per state directory (whatever path reaches it), released by the kernel when the holder
// dies, never inherited by what the pass starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock } from '../../src/state/lock.js';
import { fixture, isAlive, killPid, tempDir, waitFor } from '../helpers/util.js';

const lockModule = fileURLToPath(new URL('../../src/state/lock.js', import.meta.url));

/** Runs hold-lock.mjs and resolves with the child and its first line ("locked DIR" or "busy"). */
async function holdInChild(stateDir: string, extra: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [fixture('bin', 'hold-lock.mjs'), lockModule, stateDir, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const line = await waitFor(() => (out.includes('\n') ? out.split('\n')[0]! : ''), 'hold-lock.mjs to report', 30_000);
  return { child, line };
}

function fdTargets(pid: number | 'self'): string[] {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir).flatMap((fd) => {
    try {
      return [readlinkSync(join(dir, fd))];
    } catch {
      return []; // closed meanwhile
    }
  });
}

test('a second acquire of the same state directory fails until the first is released', async (t) => {
  const dir = tempDir(t).dir;
  const first = await acquireLock(dir);
  assert.ok(first);
  assert.equal(first.dir, dir);
  assert.equal(await acquireLock(dir), undefined);
  await first.release();
  await first.release();
  const again = await acquireLock(dir);
  assert.ok(again);
  await again.release();
});

test('different state directories do not conflict; one reached through a symlink does; a missing one is created 0700', async (t) => {
  const dir = tempDir(t).dir;
  mkdirSync(join(dir, 'a'));
  symlinkSync(join(dir, 'a'), join(dir, 'link'));
  const a = await acquireLock(join(dir, 'a'));
  const b = await acquireLock(join(dir, 'b', 'not-yet'));
  assert.ok(a && b);
  t.after(() => Promise.all([a.release(), b.release()]));
  assert.equal((statSync(join(dir, 'b', 'not-yet')).mode & 0o777).toString(8), '700');
  assert.equal(await acquireLock(join(dir, 'link')), undefined);
  assert.equal(await acquireLock(join(dir, 'a', '..', 'a')), undefined);
  assert.equal(await acquireLock(join(dir, 'b', 'not-yet')), undefined);
});

test('a holder killed with SIGKILL releases the lock: the next acquire succeeds right after', async (t) => {
  const dir = tempDir(t).dir;
  const { child, line } = await holdInChild(dir);
  t.after(() => killPid(child.pid!));
  assert.equal(line, `locked ${dir}`);
  assert.equal(await acquireLock(dir), undefined);
  const second = await holdInChild(dir);
  t.after(() => killPid(second.child.pid!));
  assert.equal(second.line, 'busy');
  await killPid(child.pid!);
  const lock = await waitFor(() => acquireLock(dir), 'the lock to be free after SIGKILL', 10_000, 10);
  assert.ok(lock);
  await lock.release();
});

test('a held lock does not keep the process alive', async (t) => {
  const dir = tempDir(t).dir;
  const { child, line } = await holdInChild(dir, ['--exit']);
  t.after(() => killPid(child.pid!));
  assert.match(line, /^locked /);
  await waitFor(() => child.exitCode !== null || !isAlive(child.pid!), 'the holder to exit by itself', 30_000);
});

test('children started while the lock is held do not inherit it', async (t) => {
  const dir = tempDir(t).dir;
  const lock = await acquireLock(dir);
  assert.ok(lock);
  t.after(() => lock?.release());
  assert.ok(fdTargets('self').includes(dir), 'this process holds the directory open (the check below means something)');
  // As restart scripts are started: /bin/sh -c in its own session.
  const child = spawn('/bin/sh', ['-c', 'exec sleep 30'], { stdio: 'ignore', detached: true });
  t.after(() => killPid(child.pid!));
  await waitFor(() => readlinkSync(`/proc/${child.pid}/exe`).endsWith('/sleep'), 'the child to exec sleep');
  const targets = fdTargets(child.pid!);
  assert.ok(targets.length > 0);
  assert.ok(!targets.includes(dir), `child fds: ${targets.join(' ')}`);
  // And the lock is still held by this process alone: a child that outlives the pass would not keep it.
  await lock.release();
  const again = await acquireLock(dir);
  assert.ok(again, 'released although the child still runs');
  await again.release();
});
