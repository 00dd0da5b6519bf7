// Which failed stops count against the restart limits: one that did something (its stop script ran, a signal
// was sent) is an attempt; one that could do nothing is not, like a restart script that could not start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAttempt } from '../../src/act/outcome.js';
import { runRestart } from '../../src/act/restart.js';
import { makeRequest, ownTempDir } from './support.js';

test('a stop script that ran and failed is an attempt; the start script is not run', async (t) => {
  const { dir } = ownTempDir(t);
  const started = join(dir, 'started');
  const result = await runRestart(makeRequest(dir, `touch ${started}`, { stop: { script: 'exit 3', timeoutMs: 10_000 } }));
  assert.deepEqual([result.ok, result.stop?.ok, result.stop?.exitCode, result.stop?.attempted], [false, false, 3, true]);
  assert.equal(isAttempt(result), true);
  assert.equal(existsSync(started), false);
});

test('a stop script that could not start, or a stop with no process to signal, did nothing: no attempt', async (t) => {
  const { dir } = ownTempDir(t);
  const noShell = await runRestart(makeRequest(dir, 'true', { shell: join(dir, 'no-such-sh'), stop: { script: 'true', timeoutMs: 10_000 } }));
  assert.deepEqual([noShell.ok, noShell.stop?.ok, noShell.stop?.attempted, isAttempt(noShell)], [false, false, false, false]);
  const noPid = await runRestart(makeRequest(dir, 'true', { stop: { timeoutMs: 10_000 } }));
  assert.deepEqual([noPid.ok, noPid.stop?.ok, noPid.stop?.attempted, isAttempt(noPid)], [false, false, false, false]);
});

test('a restart script that ran is an attempt whatever its outcome; one that could not start is not', () => {
  const base = { timedOut: false, durationMs: 1, logPath: '/l' };
  assert.equal(isAttempt({ ...base, ok: true }), true);
  assert.equal(isAttempt({ ...base, ok: false, exitCode: 1, pid: 7 }), true);
  assert.equal(isAttempt({ ...base, ok: false, error: 'spawn /bin/sh ENOENT' }), false);
  // Stopped, then the start script could not start: the service was stopped, so that counts.
  assert.equal(
    isAttempt({ ...base, ok: false, error: 'x', stop: { ok: true, method: 'signal', signal: 'SIGTERM', attempted: true, durationMs: 1 } }),
    true,
  );
});
