// Cron safety of the single executable, run as cron runs it: env -i with cron's four variables, stdin /dev/null,
// stdout and stderr to pipes. Cron mails and moves on only when those pipes reach EOF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid } from '../helpers/util.js';
import { CRON_ENV, runAsCron } from './cron-run.js';
import { fdHolder, openFds, quote, service, stageWithPids, waitForPidFile } from './cron-stage.js';
import { skipWithoutBinary } from './standalone.js';

test('the fd holder fixture does keep the stdout it inherits open (so the next test can catch a leak)', async (t) => {
  const s = stageWithPids(t);
  const pidFile = s.pidFile('holder.pid');
  const sh = spawn('/usr/bin/env', ['-i', ...CRON_ENV, '/bin/sh', '-c', `${fdHolder(pidFile)} &`], { stdio: ['ignore', 'pipe', 'pipe'] });
  sh.stdout.resume();
  sh.stderr.resume();
  const given = readlinkSync(`/proc/${sh.pid}/fd/1`);
  const pid = await waitForPidFile(pidFile);
  assert.ok(openFds(pid).includes(`1 -> ${given}`), `the fixture holds the stdout it was given (${given}): ${openFds(pid)}`);
  await killPid(pid);
});

test('a daemon keeping every inherited fd open does not hold cron\'s pipes: EOF within 1 s of exit; it lives on', { skip: skipWithoutBinary, timeout: 60_000 }, async (t) => {
  const s = stageWithPids(t);
  const pidFile = s.pidFile('daemon.pid');
  const config = service('daemon', pidFile, `${fdHolder(pidFile)} &`);
  const run = await runAsCron(s, config);
  t.diagnostic(`restart pass: exit after ${run.exitMs.toFixed(0)} ms, pipes at EOF ${run.eofGapMs?.toFixed(1)} ms after the exit`);
  assert.equal(run.status, 1, `WARNING: restarted\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^daemon +restarted/m);
  assert.ok(run.eofGapMs !== null && run.eofGapMs < 1000, `pipes reached EOF ${run.eofGapMs} ms after the exit`);
  const pid = await waitForPidFile(pidFile);
  assert.equal(isAlive(pid), true, 'the daemon outlives the pass');
  const held = openFds(pid).filter((fd) => run.pipes.some((pipe) => fd.endsWith(` -> ${pipe}`)));
  assert.deepEqual(held, [], `the daemon holds none of autoheal-once's output pipes (${run.pipes.join(', ')})`);

  const healthy = await runAsCron(s, config);
  t.diagnostic(`healthy pass: exit after ${healthy.exitMs.toFixed(0)} ms, EOF gap ${healthy.eofGapMs?.toFixed(1)} ms`);
  assert.deepEqual([healthy.status, healthy.stdout, healthy.stderr], [0, '', ''], 'a healthy pass under cron is silent and OK');
  assert.equal(isAlive(pid), true);
});

test('the restart script gets a full PATH although cron gave /usr/bin:/bin', { skip: skipWithoutBinary, timeout: 60_000 }, async (t) => {
  const s = stageWithPids(t);
  const out = join(s.dir, 'env.txt');
  const run = await runAsCron(s, service('env', join(s.dir, 'never.pid'), `${quote(fixture('bin', 'write-env.sh'))} ${quote(out)}`));
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const env = readFileSync(out, 'utf8');
  assert.match(env, /^PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m);
  assert.match(env, /^PWD=\/$/m, 'scripts run from /, not from cron\'s HOME');
  assert.match(env, /^FD0=\/dev\/null$/m);
});
