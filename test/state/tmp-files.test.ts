// selectStaleTmpFiles: which leftovers of killed writers the next write removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTmpName, selectStaleTmpFiles } from '../../src/state/store.js';

const now = 1_700_000_000_000;
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

test('buildTmpName puts the pid in the name, next to state.json', () => {
  assert.equal(buildTmpName(4242), 'state.json.4242.tmp');
});

test('selectStaleTmpFiles: a dead pid is stale at once, a live one only after a minute, our own never', () => {
  const entries = [
    { name: 'state.json.10.tmp', mtimeMs: now },
    { name: 'state.json.11.tmp', mtimeMs: now },
    { name: 'state.json.12.tmp', mtimeMs: now - 61_000 },
    { name: 'state.json.13.tmp', mtimeMs: now - 30_000 },
    { name: 'state.json.99.tmp', mtimeMs: now - 600_000 },
  ];
  assert.deepEqual(selectStaleTmpFiles(entries, 99, now, alive([11, 12, 13])), ['state.json.10.tmp', 'state.json.12.tmp']);
});

test('selectStaleTmpFiles ignores every other name', () => {
  const names = ['state.json', 'state.json.tmp', 'state.json.0.tmp', 'state.json.01.tmp', 'state.json.x.tmp', 'state.json.12.tmp.bak', 'audit.log', 'state.json.12345678901.tmp'];
  const entries = names.map((name) => ({ name, mtimeMs: 0 }));
  assert.deepEqual(selectStaleTmpFiles(entries, 1, now, alive([])), []);
});
