// Several restarts at once: they overlap, and the results follow the input order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRestarts } from '../../src/act/restart.js';
import { fixtureScript, makeRequest, ownTempDir } from './support.js';

// Each script waits until all three have started (fixtures/bin/rendezvous.sh): run one after another, the first
// would wait in vain and exit 97 instead of its own code, whatever the speed of the machine.
test('three restarts run at the same time (each sees the other two start); results follow the input order', async (t) => {
  const { dir } = ownTempDir(t);
  const names = ['a', 'b', 'c'];
  const codes = [4, 0, 5];
  const requests = names.map((name, i) => {
    const peers = names.filter((n) => n !== name);
    return makeRequest(dir, `${fixtureScript('rendezvous.sh', dir, name, ...peers)} || exit $?; exit ${codes[i]}`, {
      service: name,
      timeoutMs: 60_000,
    });
  });
  const results = await runRestarts(requests);
  assert.deepEqual(
    results.map((r) => r.exitCode),
    codes,
    results.map((r) => readFileSync(r.logPath, 'utf8')).join('\n'),
  );
  assert.deepEqual(
    results.map((r) => r.logPath.split('/').pop()),
    ['a.log', 'b.log', 'c.log'],
  );
});

test('with a limit of 1 they run one after the other, still in order', async (t) => {
  const { dir } = ownTempDir(t);
  const order = join(dir, 'order');
  // `slow` leaves time for `fast` to start beside it if the limit were not kept: the order would then show it.
  const requests = [
    makeRequest(dir, `echo slow-start >> ${order}; sleep 0.3; echo slow-end >> ${order}; exit 1`, { service: 'slow' }),
    makeRequest(dir, `echo fast >> ${order}; exit 2`, { service: 'fast' }),
  ];
  const results = await runRestarts(requests, 1);
  assert.deepEqual(readFileSync(order, 'utf8').trim().split('\n'), ['slow-start', 'slow-end', 'fast']);
  assert.deepEqual(
    results.map((r) => r.exitCode),
    [1, 2],
  );
});
