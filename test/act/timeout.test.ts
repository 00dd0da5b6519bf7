// A restart that outlives its timeout: the whole process group goes, and the pass does not hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runRestart } from '../../src/act/restart.js';
import { isAlive, waitForPidFile } from '../helpers/util.js';
import { fixtureScript, makeRequest, ownTempDir, scanGroup } from './support.js';

test('a hanging script times out; its group is empty when runRestart resolves', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd, killGroupAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'script.pid');
  killAtEnd(pidFile);
  const result = await runRestart(makeRequest(dir, fixtureScript('hang.sh', pidFile), { timeoutMs: 300 }));
  killGroupAtEnd(result.pid);
  assert.equal(result.ok, false);
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, 'SIGTERM');
  assert.equal(result.error, undefined);
  // At least the timeout; the upper bound only says it did not hang (about 350 ms on an idle machine).
  assert.ok(result.durationMs >= 300 && result.durationMs < 15_000, `${result.durationMs} ms`);
  const scriptPid = await waitForPidFile(pidFile);
  assert.equal(isAlive(scriptPid), false);
  assert.deepEqual(scanGroup(result.pid ?? -1), []);
  assert.match(readFileSync(result.logPath, 'utf8'), /hang\.sh waiting/);
});

test('the background child of a hanging script dies with it', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd, killGroupAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'script.pid');
  const childFile = join(dir, 'child.pid');
  killAtEnd(pidFile);
  killAtEnd(childFile);
  const run = runRestart(makeRequest(dir, fixtureScript('hang.sh', pidFile, childFile), { timeoutMs: 500 }));
  const childPid = await waitForPidFile(childFile);
  assert.equal(isAlive(childPid), true);
  const result = await run;
  killGroupAtEnd(result.pid);
  assert.equal(result.timedOut, true);
  assert.equal(isAlive(childPid), false);
  assert.equal(isAlive(await waitForPidFile(pidFile)), false);
  assert.deepEqual(scanGroup(result.pid ?? -1), []);
});

test('a group that ignores SIGTERM is SIGKILLed after the grace', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd, killGroupAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'script.pid');
  const childFile = join(dir, 'child.pid');
  killAtEnd(pidFile);
  killAtEnd(childFile);
  // exec: the script's pid is hang.sh itself, which ignores SIGTERM like its child.
  const request = makeRequest(dir, `exec ${fixtureScript('hang.sh', pidFile, childFile)}`, {
    timeoutMs: 300,
    killGraceMs: 400,
    baseEnv: { ...process.env, HANG_IGNORE_TERM: '1' },
  });
  const result = await runRestart(request);
  killGroupAtEnd(result.pid);
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, 'SIGKILL');
  // The timeout plus the kill grace; the upper bound only says it did not hang (about 750 ms on an idle machine).
  assert.ok(result.durationMs >= 700 && result.durationMs < 15_000, `${result.durationMs} ms`);
  assert.equal(isAlive(await waitForPidFile(childFile)), false);
  assert.deepEqual(scanGroup(result.pid ?? -1), []);
});

test('settles even when a process outside the group keeps the log open', { timeout: 30_000 }, async (t) => {
  const { dir, killAtEnd, killGroupAtEnd } = ownTempDir(t);
  const pidFile = join(dir, 'script.pid');
  const escapedFile = join(dir, 'escaped.pid');
  killAtEnd(pidFile);
  killAtEnd(escapedFile);
  const result = await runRestart(makeRequest(dir, fixtureScript('escape-group.sh', pidFile, escapedFile), { timeoutMs: 500 }));
  killGroupAtEnd(result.pid);
  assert.equal(result.timedOut, true);
  // The escaped process holds the log for ever: settling at all is the point (about 550 ms on an idle machine).
  assert.ok(result.durationMs < 15_000, `${result.durationMs} ms`);
  const escaped = await waitForPidFile(escapedFile);
  // The escaped process is alive, in another group, and still holds the log as its stdout.
  assert.equal(isAlive(escaped), true);
  assert.equal(readlinkSync(`/proc/${escaped}/fd/1`), result.logPath);
  assert.deepEqual(scanGroup(result.pid ?? -1), []);
});

test('a script that finishes within its timeout is not killed', { timeout: 30_000 }, async (t) => {
  const { dir, killGroupAtEnd } = ownTempDir(t);
  const result = await runRestart(makeRequest(dir, 'sleep 0.2; exit 0', { timeoutMs: 5000 }));
  killGroupAtEnd(result.pid);
  assert.equal(result.ok, true);
  assert.equal(result.timedOut, false);
});
