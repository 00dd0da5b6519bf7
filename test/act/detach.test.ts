// detach: a script that runs the service in the foreground is started, not waited for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runRestart } from '../../src/act/restart.js';
import { fixture, isAlive, shellQuote, waitForPidFile } from '../helpers/util.js';
import { makeRequest, ownTempDir, runInSeparateNode } from './support.js';

const foreground = (pidFile: string): string =>
  `exec "$NODE" ${shellQuote(fixture('bin', 'fake-service.mjs'))} --name fg-service --pid-file ${shellQuote(pidFile)}`;

test('a script still running after the grace counts as started and keeps running', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'fg.pid');
  killAtEnd(pidFile);
  const result = await runRestart(makeRequest(dir, foreground(pidFile), { detach: true, detachGraceMs: 300, timeoutMs: 100 }));
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(result.detached, true);
  assert.equal(result.timedOut, false);
  assert.equal(result.exitCode, undefined);
  // It waited the grace; the upper bound only says it did not wait for the script, which never ends.
  assert.ok(result.durationMs >= 300 && result.durationMs < 15_000, `${result.durationMs} ms`);
  // timeoutMs does not apply: the service is still up well after it.
  assert.equal(await waitForPidFile(pidFile), result.pid);
  assert.equal(isAlive(result.pid ?? -1), true);
});

test('an immediate failure is still reported, without waiting for the grace', { timeout: 30_000 }, async (t) => {
  const { dir } = ownTempDir(t);
  // A grace far longer than the test's timeout: waiting it out would fail the test.
  const result = await runRestart(makeRequest(dir, 'echo bad config >&2; exit 3', { detach: true, detachGraceMs: 10 * 60_000 }));
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, 3);
  assert.equal(result.detached, undefined);
  assert.ok(result.durationMs < 15_000, `${result.durationMs} ms`);
});

test('autoheal exits while the detached script runs on', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'fg.pid');
  killAtEnd(pidFile);
  const run = await runInSeparateNode(makeRequest(dir, foreground(pidFile), { detach: true, detachGraceMs: 300 }), join(dir, 'r.json'));
  assert.equal(run.code, 0);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '');
  assert.equal(run.result.detached, true);
  // The stand-in exited by itself, with code 0 (runInSeparateNode fails past its deadline): nothing of the child
  // kept its event loop alive.
  assert.equal(isAlive(await waitForPidFile(pidFile)), true);
});
