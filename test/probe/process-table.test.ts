// Name matching against the process table (pure): pgrep -x on comm, or the basename of argv[0].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findProcesses, indexProcesses, matchProcessName } from '../../src/probe/proc.js';
import type { ProcessInfo } from '../../src/probe/types.js';

const proc = (pid: number, comm: string, argv0 = comm, state = 'S'): ProcessInfo => ({ pid, comm, argv0, state, startTicks: 100 });

test('matchProcessName compares comm exactly, as pgrep -x does', () => {
  const nginx = proc(10, 'nginx', 'nginx');
  assert.equal(matchProcessName(nginx, 'nginx'), true);
  assert.equal(matchProcessName(nginx, 'ngin'), false, 'no prefix match');
  assert.equal(matchProcessName(nginx, 'nginx2'), false);
  assert.equal(matchProcessName(nginx, 'NGINX'), false, 'case matters');
  assert.equal(matchProcessName(proc(11, 'nginx', ''), 'nginx'), true, 'comm alone suffices');
});

test('matchProcessName matches a name longer than 15 characters through argv[0] only', () => {
  const long = proc(12, 'web-service-wor', 'web-service-worker');
  assert.equal(matchProcessName(long, 'web-service-worker'), true);
  assert.equal(matchProcessName(long, 'web-service-wor'), true, 'the cut comm still matches exactly, like pgrep -x');
  assert.equal(matchProcessName(proc(13, 'python3', 'python3'), 'web-service-worker'), false);
});

test('matchProcessName never counts zombies, dead processes or excluded pids as alive', () => {
  assert.equal(matchProcessName(proc(14, 'nginx', '', 'Z'), 'nginx'), false);
  assert.equal(matchProcessName(proc(15, 'nginx', '', 'X'), 'nginx'), false);
  assert.equal(matchProcessName(proc(16, 'nginx', 'nginx', 'D'), 'nginx'), true, 'uninterruptible sleep is alive');
  assert.equal(matchProcessName(proc(17, 'nginx'), 'nginx', new Set([17])), false);
  assert.equal(matchProcessName(proc(18, 'nginx'), 'nginx', new Set([17])), true);
});

test('matchProcessName never matches an empty name (kernel threads have an empty argv[0])', () => {
  assert.equal(matchProcessName(proc(2, 'kthreadd', ''), ''), false);
});

test('findProcesses splits the processes carrying a name into live ones and zombies, pids ascending', () => {
  const table = indexProcesses([
    proc(30, 'nginx', 'nginx'),
    proc(20, 'nginx', 'nginx'),
    proc(25, 'nginx', '', 'Z'),
    proc(40, 'bash', 'bash'),
    proc(50, 'node', 'nginx'),
  ]);
  const found = findProcesses(table, 'nginx', new Set([30]));
  assert.deepEqual(
    found.alive.map((p) => p.pid),
    [20, 50],
  );
  assert.deepEqual(
    found.zombies.map((p) => p.pid),
    [25],
  );
  assert.deepEqual(findProcesses(table, 'absent'), { alive: [], zombies: [] });
});

test('indexProcesses indexes each process once under comm and once under argv0', () => {
  const same = proc(1, 'sleep', 'sleep');
  const differ = proc(2, 'my-long-name-cu', 'my-long-name-cut-here');
  const table = indexProcesses([same, differ]);
  assert.deepEqual(table.byName.get('sleep'), [same]);
  assert.deepEqual(table.byName.get('my-long-name-cu'), [differ]);
  assert.deepEqual(table.byName.get('my-long-name-cut-here'), [differ]);
  assert.equal(table.byName.size, 3);
  assert.deepEqual(table.unreadable, []);
});
