// A restart script that never exits (it runs the service in the foreground), under cron: with `detach: true` the
// pass starts it and moves on; without, it is killed at restart_timeout and the restart fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlive, readPidFile, waitForPidFile } from '../helpers/util.js';
import { runAsCron } from './cron-run.js';
import { fdHolder, service, stageWithPids } from './cron-stage.js';
import { skipWithoutBinary } from './standalone.js';

// exec: the script's own process becomes the service, which holds every fd it got and never exits.
const foreground = (pidFile: string): string => `exec ${fdHolder(pidFile)}`;

test('detach: true starts a foreground service and does not wait for it; the service lives on', {
  skip: skipWithoutBinary,
  timeout: 120_000,
}, async (t) => {
  const s = stageWithPids(t);
  const pidFile = s.pidFile('fg.pid');
  // A restart_timeout far past runAsCron's own deadline: a pass that waited for the script would be killed there.
  const config = service('fg', pidFile, foreground(pidFile), { detach: true, restart_timeout: '1h' });
  const run = await runAsCron(s, config);
  t.diagnostic(`detach pass: exit after ${run.exitMs.toFixed(0)} ms, EOF gap ${run.eofGapMs?.toFixed(1)} ms`);
  assert.equal(run.status, 1, `WARNING: restarted\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^fg +restarted.*detached/m);
  assert.equal(run.signal, null, "the pass exited by itself, before runAsCron's deadline");
  assert.notEqual(run.eofGapMs, null, 'the pipes reached EOF after the exit');
  const pid = await waitForPidFile(pidFile);
  assert.equal(isAlive(pid), true, 'the foreground service outlives the pass (and so holds none of the pipes)');

  const healthy = await runAsCron(s, config);
  assert.deepEqual([healthy.status, healthy.stdout, healthy.stderr], [0, '', ''], 'the next pass finds it healthy');
});

test('without detach a foreground script is killed at restart_timeout and the restart fails (2)', {
  skip: skipWithoutBinary,
  timeout: 120_000,
}, async (t) => {
  const s = stageWithPids(t);
  const pidFile = s.pidFile('fg.pid');
  const run = await runAsCron(s, service('fg', pidFile, foreground(pidFile), { restart_timeout: '1s' }));
  t.diagnostic(`timeout pass: exit after ${run.exitMs.toFixed(0)} ms, EOF gap ${run.eofGapMs?.toFixed(1)} ms`);
  assert.equal(run.status, 2, `CRITICAL: restart failed\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^fg .*(timed out|killed its process group)/m);
  // At least the restart timeout; exiting by itself at all is the rest of the point (about 1.1 s on an idle machine).
  assert.ok(run.exitMs >= 1000, `${run.exitMs} ms`);
  assert.equal(run.signal, null, "the pass exited by itself, before runAsCron's deadline");
  assert.notEqual(run.eofGapMs, null, 'the pipes reached EOF after the exit');
  const pid = readPidFile(pidFile);
  assert.ok(pid !== undefined, 'the script had started');
  assert.equal(isAlive(pid ?? -1), false, 'the script was killed with its group');
});
