// observeLiveness against real processes: a process found only by its argv[0] is found, however /proc was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../src/config/types.js';
import { observeLiveness } from '../../src/probe/observe.js';
import { scanProcesses } from '../../src/probe/proc.js';
import { killPid, startChild, waitFor } from '../helpers/util.js';

const byName = (name: string, pname: string): Service => ({ name, pname, probeTimeoutMs: 2000 }) as unknown as Service;

test('observeLiveness: up for a process whose argv[0] is the name and whose comm is not (exec -a), down for no such process', async (t) => {
  const short = `xa${process.pid}`;
  const long = `exec-a-long-name-${process.pid}`;
  const pids: number[] = [];
  for (const name of [short, long]) {
    const child = startChild('/bin/bash', ['-c', `exec -a ${name} sleep 30`]);
    pids.push(child.pid!);
  }
  t.after(async () => {
    for (const pid of pids) await killPid(pid);
  });
  await waitFor(() => pids.every((pid) => scanProcesses().byPid.get(pid)?.comm === 'sleep'), 'both to exec sleep');
  const got = await observeLiveness([byName('a', short), byName('b', long), byName('c', `absent-${process.pid}`), byName('d', 'sleep')], 4);
  assert.equal(got.get('a')?.status, 'up', got.get('a')?.reason);
  assert.equal(got.get('a')?.pid, pids[0]);
  assert.equal(got.get('b')?.status, 'up', got.get('b')?.reason);
  assert.equal(got.get('b')?.pid, pids[1]);
  assert.equal(got.get('c')?.status, 'down');
  assert.equal(got.get('d')?.status, 'up');
});
