// /proc parsing and scanning: pure parsers, a crafted proc tree, and the real /proc with real processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgv0, parseStat } from '../../src/probe/proc.js';
import { completeArgv0, readProcess, scanProcesses } from '../../src/probe/proc.js';
import { findProcesses } from '../../src/probe/proc.js';
import { fixture, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { startZombie } from './zombie.js';

// A stat line with the given comm and state; starttime (field 22) is 4242.
const statLine = (pid: number, comm: string, state = 'S'): string =>
  `${pid} (${comm}) ${state} 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 1000 10 18446744073709551615 0 0\n`;

test('parseStat takes comm up to the last parenthesis, so comm may hold ") (" and spaces', () => {
  assert.deepEqual(parseStat(statLine(7, 'a) (b c) d', 'R')), { comm: 'a) (b c) d', state: 'R', pgrp: 1, startTicks: 4242 });
  assert.deepEqual(parseStat(statLine(8, '', 'Z')), { comm: '', state: 'Z', pgrp: 1, startTicks: 4242 });
});

test('parseStat keeps comm as text, whatever its characters', () => {
  assert.equal(parseStat(statLine(9, 'caf\u00e9-\u670d\u52a1', 'D'))?.comm, 'caf\u00e9-\u670d\u52a1');
  assert.equal(parseStat(statLine(9, 'a b  c', 'S'))?.comm, 'a b  c');
});

test('parseStat rejects text that is not a stat line', () => {
  assert.equal(parseStat(''), undefined);
  assert.equal(parseStat('12 sleep S 1'), undefined);
  assert.equal(parseStat('12 (sleep) S 1 2'), undefined, 'too few fields for starttime');
  assert.equal(parseStat('12 (sleep) ? 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0'), undefined, 'no state letter');
});

test('parseArgv0 keeps the basename of argv[0] up to the first NUL', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  assert.equal(parseArgv0(bytes('/usr/sbin/nginx\0-g\0daemon off;\0')), 'nginx');
  assert.equal(parseArgv0(bytes('my-very-long-service-name\0\0\0')), 'my-very-long-service-name');
  assert.equal(parseArgv0(bytes('postgres: checkpointer')), 'postgres: checkpointer', 'no NUL at all');
  assert.equal(parseArgv0(bytes('')), '', 'kernel thread or zombie');
});

test('scanProcesses reads a proc tree, skipping non-pid entries and processes that vanished mid-scan', (t) => {
  const tmp = tempDir(t);
  const proc = (pid: number, stat?: string, cmdline?: string): void => {
    mkdirSync(join(tmp.dir, String(pid)));
    if (stat !== undefined) writeFileSync(join(tmp.dir, String(pid), 'stat'), stat);
    if (cmdline !== undefined) writeFileSync(join(tmp.dir, String(pid), 'cmdline'), cmdline);
  };
  proc(1, statLine(1, 'init'), '/sbin/init\0splash\0');
  proc(2, statLine(2, 'kthreadd'), '');
  proc(30, statLine(30, 'web) (server', 'S'), '/opt/web/bin/web-server-with-a-long-name\0');
  proc(31); // exited between readdir and open: no stat
  proc(32, statLine(32, 'half-gone')); // exited between reading stat and cmdline
  proc(33, 'not a stat line', 'x\0'); // exists, cannot be parsed: reported, not silently dropped
  mkdirSync(join(tmp.dir, 'self'));
  writeFileSync(join(tmp.dir, 'uptime'), '1.0 1.0\n');

  const table = scanProcesses(tmp.dir);
  assert.deepEqual(table.processes.map((p) => [p.pid, p.comm, p.argv0, p.state, p.startTicks]).sort(), [
    [1, 'init', 'init', 'S', 4242],
    [2, 'kthreadd', '', 'S', 4242],
    [30, 'web) (server', 'web-server-with-a-long-name', 'S', 4242],
  ]);
  assert.deepEqual(table.unreadable, [33]);
  assert.deepEqual(
    findProcesses(table, 'web-server-with-a-long-name').alive.map((p) => p.pid),
    [30],
  );
  assert.deepEqual(
    findProcesses(table, 'web) (server').alive.map((p) => p.pid),
    [30],
  );
  assert.equal(readProcess(31, tmp.dir), undefined);
  assert.equal(readProcess(99, tmp.dir), undefined);
  assert.throws(() => readProcess(33, tmp.dir), /unexpected .*33\/stat format/);
});

test('scanProcesses without argv0 reads stat only; completeArgv0 then reads what a full scan would have read', (t) => {
  const tmp = tempDir(t);
  const proc = (pid: number, comm: string, cmdline?: string): void => {
    mkdirSync(join(tmp.dir, String(pid)));
    writeFileSync(join(tmp.dir, String(pid), 'stat'), statLine(pid, comm));
    if (cmdline !== undefined) writeFileSync(join(tmp.dir, String(pid), 'cmdline'), cmdline);
  };
  proc(1, 'init', '/sbin/init\0');
  proc(5, 'web-server-with', '/opt/web-server-with-a-long-name\0');
  proc(6, 'sleep', '/usr/bin/renamed-by-exec-a\0');
  proc(7, 'gone-since'); // exited after its stat was read: no cmdline
  const light = scanProcesses(tmp.dir, { withArgv0: false });
  assert.deepEqual(
    light.processes.map((p) => p.argv0),
    [undefined, undefined, undefined, undefined],
  );
  assert.deepEqual(
    findProcesses(light, 'sleep').alive.map((p) => p.pid),
    [6],
    'comm alone finds it',
  );
  assert.deepEqual(findProcesses(light, 'renamed-by-exec-a').alive, [], 'argv[0] not read yet');
  const cut = completeArgv0(light, tmp.dir, (p) => p.comm === 'web-server-with');
  assert.deepEqual(
    findProcesses(cut, 'web-server-with-a-long-name').alive.map((p) => p.pid),
    [5],
  );
  assert.equal(cut.byPid.get(6)?.argv0, undefined, 'only the selected processes are read');
  const full = completeArgv0(cut, tmp.dir);
  const scanned = scanProcesses(tmp.dir);
  assert.deepEqual(full.processes.map((p) => [p.pid, p.argv0]).sort(), scanned.processes.map((p) => [p.pid, p.argv0]).sort());
  assert.deepEqual(
    findProcesses(full, 'renamed-by-exec-a').alive.map((p) => p.pid),
    [6],
  );
  assert.equal(full.byPid.has(7), false, 'gone before its cmdline was read, as in a full scan');
});

test('scanProcesses finds a real process by its 15-character comm and by its full argv[0]', async () => {
  const name = 'autoheal-probe-scan-' + process.pid;
  const child = startChild(process.execPath, [fixture('bin', 'fake-service.mjs'), '--name', name]);
  const pid = child.pid!;
  try {
    // Node sets argv[0] and comm one after the other: wait until both show the title.
    const found = await waitFor(() => findProcesses(scanProcesses(), name).alive.find((p) => p.comm !== 'node'), `${name} in /proc`);
    assert.ok(found);
    assert.equal(found.pid, pid);
    assert.equal(found.comm, name.slice(0, 15), 'the kernel cuts comm at 15 characters');
    assert.equal(found.argv0, name);
    assert.ok(found.startTicks > 0);
    assert.deepEqual(
      findProcesses(scanProcesses(), name.slice(0, 15)).alive.map((p) => p.pid),
      [pid],
    );
    // The state letter may change between two reads (S, R); the rest may not.
    assert.deepEqual({ ...readProcess(pid), state: found.state }, found);
  } finally {
    await killPid(pid);
  }
  assert.deepEqual(findProcesses(scanProcesses(), name).alive, []);
});

test('readProcess sees a real zombie as state Z, and a reaped pid as gone', async () => {
  const z = await startZombie();
  try {
    const info = readProcess(z.zombie);
    assert.equal(info?.state, 'Z');
    assert.equal(info?.comm, 'sleep');
    const byName = findProcesses(scanProcesses(), 'sleep');
    assert.ok(byName.zombies.some((p) => p.pid === z.zombie));
    assert.ok(!byName.alive.some((p) => p.pid === z.zombie));
  } finally {
    await z.stop();
  }
  const child = startChild('sleep', ['30']);
  const pid = child.pid!;
  await killPid(pid);
  // Node reaps its child once it is a zombie; only then is the pid gone from /proc.
  await waitFor(() => child.exitCode !== null || child.signalCode !== null, `pid ${pid} to be reaped`);
  assert.equal(readProcess(pid), undefined);
});

test('readProcess reads this very process', () => {
  const me = readProcess(process.pid);
  assert.equal(me?.pid, process.pid);
  assert.equal(me?.state === 'R' || me?.state === 'S', true);
  assert.ok((me?.startTicks ?? 0) > 0);
});
