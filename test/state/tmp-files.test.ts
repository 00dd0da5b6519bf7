// Temp files of state writes: unguessable names, and which leftovers of killed writers the next write removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTmpName, selectStaleTmpFiles, stateFileFor } from '../../src/state/store.js';

const now = 1_700_000_000_000;
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

test('buildTmpName puts the file, the pid and a new salt in the name', () => {
  assert.equal(buildTmpName(4242, 'state.json', 'abc'), 'state.json.4242.abc.tmp');
  assert.match(buildTmpName(4242), /^state\.json\.4242\.[0-9a-z]+\.tmp$/);
  assert.notEqual(buildTmpName(4242), buildTmpName(4242), 'a name nobody can plant a file at in advance');
});

test('stateFileFor: one file per config path, the same for the same path', () => {
  assert.match(stateFileFor('/etc/autoheal/conf.yaml'), /^state\.[0-9a-f]{32}\.json$/);
  assert.equal(stateFileFor('/etc/autoheal/conf.yaml'), stateFileFor('/etc/autoheal/./conf.yaml'));
  assert.notEqual(stateFileFor('/etc/autoheal/conf.yaml'), stateFileFor('/etc/autoheal/other.yaml'));
});

test('selectStaleTmpFiles: a dead pid is stale at once, a live one only after a minute, our own never', () => {
  const per = `${stateFileFor('/etc/autoheal/conf.yaml')}`;
  const entries = [
    { name: 'state.json.10.a1.tmp', mtimeMs: now },
    { name: 'state.json.11.b2.tmp', mtimeMs: now },
    { name: `${per}.12.c3.tmp`, mtimeMs: now - 61_000 },
    { name: 'state.json.13.d4.tmp', mtimeMs: now - 30_000 },
    { name: 'state.json.99.e5.tmp', mtimeMs: now - 600_000 },
  ];
  assert.deepEqual(selectStaleTmpFiles(entries, 99, now, alive([11, 12, 13])), ['state.json.10.a1.tmp', `${per}.12.c3.tmp`]);
});

test('selectStaleTmpFiles ignores every other name', () => {
  const names = [
    'state.json',
    'state.json.tmp',
    'state.json.0.a.tmp',
    'state.json.01.a.tmp',
    'state.json.x.a.tmp',
    'state.json.12.a.tmp.bak',
    'audit.log',
    'state.json.12345678901.a.tmp',
    'state.json.12.tmp',
  ];
  const entries = names.map((name) => ({ name, mtimeMs: 0 }));
  assert.deepEqual(selectStaleTmpFiles(entries, 1, now, alive([])), []);
});
