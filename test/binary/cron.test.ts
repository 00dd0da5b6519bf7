// Cron safety of the single executable, run as cron runs it: env -i with cron's four variables, stdin /dev/null,
// stdout and stderr to pipes. Cron mails and moves on only when those pipes reach EOF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, readPidFile, shellQuote, tempDir, waitForPidFile } from '../helpers/util.js';
import { CRON_ENV, runAsCron } from './cron-run.js';
import { fdHolder, openFds, service, stageWithPids } from './cron-stage.js';
import { skipWithoutBinary } from './standalone.js';

test('the fd holder fixture keeps every fd it inherits open, 0-2 and beyond (so the next test can catch a leak)', async (t) => {
  const { dir, cleanup } = tempDir();
  const pidFile = join(dir, 'holder.pid');
  t.after(async () => {
    const pid = readPidFile(pidFile);
    if (pid !== undefined) await killPid(pid);
    cleanup();
  });
  // Started directly, with a fourth pipe as fd 3: env and sh exec, so the pid is the holder's for its whole life.
  const holder = spawn('/usr/bin/env', ['-i', ...CRON_ENV, fixture('bin', 'fd-holder.sh'), pidFile], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const pid = await waitForPidFile(pidFile);
  assert.equal(pid, holder.pid);
  // node's 'pipe' is a socketpair: a socket on 1, 2 and 3 can only be the ends this test handed over.
  const fds = openFds(pid);
  for (const fd of [1, 2, 3])
    assert.ok(
      fds.some((f) => f.startsWith(`${fd} -> socket:`)),
      `fd ${fd} still open: ${fds.join(', ')}`,
    );
});

test("a daemon keeping every inherited fd open does not hold cron's pipes: they reach EOF while it lives on", {
  skip: skipWithoutBinary,
  timeout: 120_000,
}, async (t) => {
  const s = stageWithPids(t);
  const pidFile = s.pidFile('daemon.pid');
  const config = service('daemon', pidFile, `${fdHolder(pidFile)} &`);
  const run = await runAsCron(s, config);
  t.diagnostic(`restart pass: exit after ${run.exitMs.toFixed(0)} ms, pipes at EOF ${run.eofGapMs?.toFixed(1)} ms after the exit`);
  assert.equal(run.status, 1, `WARNING: restarted\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^daemon +restarted/m);
  // EOF came (null: a pipe was still open long after the exit) and the daemon was alive after it: it holds neither.
  assert.notEqual(run.eofGapMs, null, 'the pipes reached EOF after the exit');
  const pid = await waitForPidFile(pidFile);
  assert.equal(isAlive(pid), true, 'the daemon outlives the pass');
  const held = openFds(pid).filter((fd) => run.pipes.some((pipe) => fd.endsWith(` -> ${pipe}`)));
  assert.deepEqual(held, [], `the daemon holds none of autoheal-once's output pipes (${run.pipes.join(', ')})`);

  const healthy = await runAsCron(s, config);
  t.diagnostic(`healthy pass: exit after ${healthy.exitMs.toFixed(0)} ms, EOF gap ${healthy.eofGapMs?.toFixed(1)} ms`);
  assert.deepEqual([healthy.status, healthy.stdout, healthy.stderr], [0, '', ''], 'a healthy pass under cron is silent and OK');
  assert.equal(isAlive(pid), true);
});

test('the restart script gets a full PATH although cron gave /usr/bin:/bin', { skip: skipWithoutBinary, timeout: 120_000 }, async (t) => {
  const s = stageWithPids(t);
  const out = join(s.dir, 'env.txt');
  const run = await runAsCron(s, service('env', join(s.dir, 'never.pid'), `${shellQuote(fixture('bin', 'write-env.sh'))} ${shellQuote(out)}`));
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const env = readFileSync(out, 'utf8');
  assert.match(env, /^PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m);
  assert.match(env, /^PWD=\/$/m, "scripts run from /, not from cron's HOME");
  assert.match(env, /^FD0=\/dev\/null$/m);
});
