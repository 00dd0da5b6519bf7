// Command readiness with real processes: exit 0, a failure with its output, a hung command killed with its whole
// process group at the timeout, and a command that leaves a process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeCommand } from '../../src/probe/command.js';
import { isAlive, killPid, tempDir, waitFor } from '../helpers/util.js';

const readPids = (path: string): number[] => readFileSync(path, 'utf8').split(/\s+/).filter(Boolean).map(Number);

test('probeCommand: up on exit 0', async () => {
  const result = await probeCommand('exit 0', 5000);
  assert.equal(result.status, 'up');
  assert.match(result.reason, /^exit 0 in \d+ ms$/);
});

test('probeCommand: down on another exit code, with the first line the command printed', async () => {
  const result = await probeCommand('echo; echo "no response from server" >&2; echo second; exit 2', 5000);
  assert.deepEqual([result.status, result.reason], ['down', 'exit 2: no response from server']);
  const silent = await probeCommand('exit 1', 5000);
  assert.deepEqual([silent.status, silent.reason], ['down', 'exit 1']);
});

test('probeCommand: the output kept in the reason is cut', async () => {
  const result = await probeCommand(`printf '%0500d' 0; exit 1`, 5000);
  assert.equal(result.status, 'down');
  assert.ok(result.reason.length < 200, result.reason);
  assert.match(result.reason, /^exit 1: 0+\.\.\.$/);
});

test('probeCommand: a hung command is killed with its process group at the timeout, leaving no process', async (t) => {
  const tmp = tempDir(t);
  const pids = join(tmp.dir, 'pids');
  // The shell, a child that ignores SIGTERM, and a grandchild: all in the probe's process group.
  const command = `trap '' TERM; sleep 600 & sh -c 'sleep 600 & echo $! >> ${pids}; wait' & echo $$ $! >> ${pids}; wait`;
  let seen: number[] = [];
  t.after(async () => {
    for (const pid of seen) await killPid(pid);
  });
  const result = await probeCommand(command, 500);
  assert.deepEqual([result.status, result.reason], ['down', 'no answer within 500 ms: killed its process group']);
  seen = readPids(pids);
  assert.equal(seen.length, 3, `shell, child and grandchild recorded: ${seen}`);
  await waitFor(() => seen.every((pid) => !isAlive(pid)), `every process of the group (${seen}) to be gone`);
});

test('probeCommand: a process the command left in its group is killed when it exits', async (t) => {
  const tmp = tempDir(t);
  const pids = join(tmp.dir, 'pids');
  let left: number[] = [];
  t.after(async () => {
    for (const pid of left) await killPid(pid);
  });
  const result = await probeCommand(`sleep 600 & echo $! > ${pids}; exit 0`, 5000);
  assert.equal(result.status, 'up');
  left = readPids(pids);
  await waitFor(() => !isAlive(left[0]!), 'the leftover sleep to be killed');
});

test('probeCommand: runs with a full PATH when cron gives a minimal one, from /', async () => {
  const result = await probeCommand('case "$PATH" in */sbin*) ;; *) echo "PATH=$PATH"; exit 1;; esac; [ "$(pwd)" = / ] || { pwd; exit 1; }', 5000, {
    env: { PATH: '/usr/bin:/bin' },
  });
  assert.equal(result.status, 'up', result.reason);
});

test('probeCommand: unknown when the shell cannot be started', async () => {
  const result = await probeCommand('exit 0', 5000, { shell: '/nonexistent/sh' });
  assert.equal(result.status, 'unknown');
  assert.match(result.reason, /^cannot run the command: .*ENOENT/);
});

test('probeCommand: a user it cannot run as is unknown with the reason, and the command never runs', async (t) => {
  const { dir } = tempDir(t);
  const marker = join(dir, 'ran');
  const result = await probeCommand(`touch ${marker}`, 5000, { runAs: { user: 'no-such-user-autoheal' } });
  assert.equal(result.status, 'unknown');
  assert.equal(result.reason, 'cannot run the command: no user `no-such-user-autoheal` in the password database');
  assert.ok(!existsSync(marker), 'the command ran anyway');
});

test('probeCommand: the reason of a failing command always holds what it printed right before it exited', async () => {
  // 'exit' may be seen before the last output is read; many at once make that order likely to vary.
  const results = await Promise.all(Array.from({ length: 50 }, () => probeCommand('echo "it says why"; exit 3', 10_000)));
  assert.deepEqual(new Set(results.map((r) => `${r.status} ${r.reason}`)), new Set(['down exit 3: it says why']));
});
