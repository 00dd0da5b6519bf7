import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processStartMs, readBootTimeMs } from '../../src/probe/proc.js';
import { judgePidFileAge, probeLiveness } from '../../src/probe/liveness.js';
import type { PidFileObservation } from '../../src/probe/pid-file.js';
import { killPid, startChild, tempDir, waitFor, isAlive } from '../helpers/util.js';

const up = (mtime: number, startTicks: number): PidFileObservation => ({
  result: { status: 'up', reason: 'pid 42 from /run/x.pid is running', ms: 1, pid: 42 },
  path: '/run/x.pid',
  pid: 42,
  fileMtimeMs: mtime,
  process: { pid: 42, comm: 'sleep', argv0: 'sleep', state: 'S', startTicks },
});

test('judgePidFileAge: a process started well after its pid file was written holds a recycled pid', () => {
  const boot = 1_000_000_000_000;
  // Started 10 s before the file was written: the daemon that wrote it.
  assert.equal(judgePidFileAge(up(boot + 20_000, 1000), boot).status, 'up');
  // Started within the slack after it: still trusted (clock granularity).
  assert.equal(judgePidFileAge(up(boot, 5000), boot).status, 'up');
  // Started 2 hours after: the pid was reused.
  const stale = judgePidFileAge(up(boot, 720_000), boot);
  assert.equal(stale.status, 'down');
  assert.match(stale.reason, /^pid 42 from \/run\/x\.pid belongs to `sleep`, started 2 h after the pid file was written \(recycled pid/);
  // A pid file from before this boot, its pid now some other process: the power-cut case.
  assert.equal(judgePidFileAge(up(boot - 3_600_000, 100), boot).status, 'down');
  // Without a boot time or an mtime there is nothing to compare: the result stands.
  assert.equal(judgePidFileAge(up(boot, 720_000), undefined).status, 'up');
});

test('processStartMs counts ticks of 10 ms from boot', () => {
  assert.equal(processStartMs(250, 1000), 3500);
  const boot = readBootTimeMs();
  assert.ok(boot !== undefined && boot < Date.now() && boot > Date.UTC(2000, 0, 1), `boot time ${boot}`);
});

test('a real pid file written an hour before its live process started is stale; a fresh one is not', async (t) => {
  const tmp = tempDir(t);
  const child = startChild('sleep', ['300']);
  t.after(() => killPid(child.pid!));
  await waitFor(() => isAlive(child.pid!), 'sleep to start');
  const pidFile = join(tmp.dir, 'svc.pid');
  writeFileSync(pidFile, `${child.pid}\n`);
  const service = { pidFile, probeTimeoutMs: 2000 };
  const bootTimeMs = readBootTimeMs();
  assert.ok(bootTimeMs !== undefined, '/proc/stat gives the boot time');
  assert.equal((await probeLiveness(service, undefined, { bootTimeMs })).result.status, 'up');
  const hourAgo = (Date.now() - 3_600_000) / 1000;
  utimesSync(pidFile, hourAgo, hourAgo);
  const stale = (await probeLiveness(service, undefined, { bootTimeMs })).result;
  assert.equal(stale.status, 'down');
  assert.match(stale.reason, /recycled pid/);
  // With pname, the process name decides instead (and `sleep` is not `web`).
  const named = (await probeLiveness({ ...service, pname: 'sleep' }, undefined, { bootTimeMs })).result;
  assert.equal(named.status, 'up');
});
