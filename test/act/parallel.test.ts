// Several restarts at once: about as long as the slowest, results in input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRestarts } from '../../src/act/restart.js';
import { makeRequest, ownTempDir } from './support.js';

test('three 800 ms restarts take about 800 ms, not 2.4 s; results follow the input order', async (t) => {
  const { dir } = ownTempDir(t);
  const requests = [
    makeRequest(dir, 'sleep 0.8; exit 4', { service: 'a' }),
    makeRequest(dir, 'sleep 0.8; exit 0', { service: 'b' }),
    makeRequest(dir, 'sleep 0.8; exit 5', { service: 'c' }),
  ];
  const started = Date.now();
  const results = await runRestarts(requests);
  const ms = Date.now() - started;
  assert.ok(ms < 1900, `took ${ms} ms`);
  assert.deepEqual(results.map((r) => r.exitCode), [4, 0, 5]);
  assert.deepEqual(results.map((r) => r.logPath.split('/').pop()), ['a.log', 'b.log', 'c.log']);
});

test('with a limit of 1 they run one after the other, still in order', async (t) => {
  const { dir } = ownTempDir(t);
  const requests = [makeRequest(dir, 'sleep 0.3; exit 1', { service: 'slow' }), makeRequest(dir, 'exit 2', { service: 'fast' })];
  const started = Date.now();
  const results = await runRestarts(requests, 1);
  assert.ok(Date.now() - started >= 300);
  assert.deepEqual(results.map((r) => r.exitCode), [1, 2]);
});
