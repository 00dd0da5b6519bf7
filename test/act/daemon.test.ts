// The usual restart: a script that starts a daemon and exits. The daemon must outlive autoheal-once,
// and autoheal-once must print nothing of the script's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runRestart } from '../../src/act/restart.js';
import { isAlive, procStat, waitForPidFile } from '../helpers/util.js';
import { fixtureScript, makeRequest, ownTempDir, runInSeparateNode } from './support.js';

test('the daemon started by the script is alive after runRestart resolves', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'daemon.pid');
  killAtEnd(pidFile);
  const result = await runRestart(makeRequest(dir, fixtureScript('start-daemon.sh', pidFile)));
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(result.exitCode, 0);
  const daemon = await waitForPidFile(pidFile);
  assert.equal(isAlive(daemon), true);
  // In the script's session, which is not ours, with the log as its output.
  assert.equal(procStat(daemon)!.session, result.pid);
  assert.equal(readlinkSync(`/proc/${daemon}/fd/1`), result.logPath);
});

test('the daemon outlives the autoheal process, which printed nothing', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'daemon.pid');
  killAtEnd(pidFile);
  const run = await runInSeparateNode(makeRequest(dir, fixtureScript('start-daemon.sh', pidFile)), join(dir, 'result.json'));
  assert.equal(run.code, 0);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '');
  assert.equal(run.result.ok, true, JSON.stringify(run.result));
  const daemon = await waitForPidFile(pidFile);
  assert.equal(isAlive(daemon), true);
  assert.match(readFileSync(run.result.logPath, 'utf8'), /started fake-service as pid \d+/);
});

test("a failing script's stdout and stderr go to the log, never to autoheal's", { timeout: 30_000 }, async (t) => {
  const { dir } = ownTempDir(t);
  const run = await runInSeparateNode(makeRequest(dir, fixtureScript('exit-with.sh', '3')), join(dir, 'result.json'));
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '');
  assert.equal(run.result.exitCode, 3);
  const log = readFileSync(run.result.logPath, 'utf8');
  assert.match(log, /^stdout of exit-with 3$/m);
  assert.match(log, /^stderr of exit-with 3$/m);
});
