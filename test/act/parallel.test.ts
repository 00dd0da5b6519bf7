// Several restarts at once: about as long as the slowest, results in input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRestarts } from '../../src/act/index.js';
import { mapWithLimit } from '../../src/act/restarts.js';
import { makeRequest, ownTempDir } from './support.js';

test('three 800 ms restarts take about 800 ms, not 2.4 s; results follow the input order', async (t) => {
  const { dir, killAtEnd } = ownTempDir(t);
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
  const { dir, killAtEnd } = ownTempDir(t);
  const requests = [makeRequest(dir, 'sleep 0.3; exit 1', { service: 'slow' }), makeRequest(dir, 'exit 2', { service: 'fast' })];
  const started = Date.now();
  const results = await runRestarts(requests, 1);
  assert.ok(Date.now() - started >= 300);
  assert.deepEqual(results.map((r) => r.exitCode), [1, 2]);
});

test('mapWithLimit never has more than `limit` calls pending', async () => {
  let pending = 0;
  let peak = 0;
  const out = await mapWithLimit([5, 1, 4, 2, 3], 2, async (n) => {
    peak = Math.max(peak, ++pending);
    await new Promise((r) => setImmediate(r));
    pending--;
    return n * 10;
  });
  assert.equal(peak, 2);
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.deepEqual(await mapWithLimit([], 3, async (n: number) => n), []);
});
