// runBounded: results in input order, at most `limit` in flight, and a pass as long as its slowest probe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBounded } from '../../src/util/bounded.js';
import { probeHttp } from '../../src/probe/http.js';
import { listenTcp, type Listening } from '../probe/servers.js';

// A promise the test settles by hand: ordering is driven by the test, not by timers.
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('runBounded returns results in input order whatever order tasks finish in', async () => {
  const gates = [0, 1, 2, 3, 4].map(() => deferred<string>());
  const run = runBounded(
    gates.map((g) => () => g.promise),
    5,
  );
  for (const i of [3, 0, 4, 2, 1]) gates[i]!.resolve(`task ${i}`);
  assert.deepEqual(await run, ['task 0', 'task 1', 'task 2', 'task 3', 'task 4']);
});

test('runBounded never has more than `limit` tasks in flight, and starts the next as one finishes', async () => {
  const gates = Array.from({ length: 10 }, () => deferred<number>());
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const tasks = gates.map((g, i) => async () => {
    started.push(i);
    running++;
    most = Math.max(most, running);
    try {
      return await g.promise;
    } finally {
      running--;
    }
  });
  const run = runBounded(tasks, 3);
  await flush();
  assert.deepEqual(started, [0, 1, 2]);
  gates[1]!.resolve(1);
  await flush();
  assert.deepEqual(started, [0, 1, 2, 3]);
  gates.forEach((g, i) => {
    g.resolve(i);
  });
  assert.deepEqual(await run, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(most, 3);
});

test('runBounded: a rejection rejects the run and no further task starts', async () => {
  const gate = deferred<number>();
  let startedAfter = 0;
  const tasks = [() => gate.promise, () => Promise.resolve(2), () => (startedAfter++, Promise.resolve(3))];
  const run = runBounded(tasks, 1);
  gate.reject(new Error('boom'));
  await assert.rejects(run, /boom/);
  assert.equal(startedAfter, 0);
});

test('runBounded rejects a limit that is not a positive integer, and handles no tasks', async () => {
  await assert.rejects(runBounded([], 0), /Expected `limit` to be a positive integer, got `0` \(number\)/);
  await assert.rejects(runBounded([], 1.5), RangeError);
  assert.deepEqual(await runBounded([], 4), []);
});

// Concurrency shown by overlap, not by a stopwatch: every server has its probe's connection before any probe ends.
test('20 HTTP probes against 20 silent servers run at once: all 20 are connected before the first times out', async (t) => {
  const servers: Listening[] = [];
  t.after(() => Promise.all(servers.map((s) => s.close())));
  for (let i = 0; i < 20; i++) servers.push(await listenTcp());
  const connected = (): number => servers.filter((s) => s.sockets.length > 0).length;
  const connectedWhenDone: number[] = [];
  const started = Date.now();
  const results = await runBounded(
    servers.map((s) => async () => {
      const result = await probeHttp(`http://127.0.0.1:${s.port}/`, 1000);
      connectedWhenDone.push(connected());
      return result;
    }),
    20,
  );
  const took = Date.now() - started;
  assert.equal(results.length, 20);
  for (const r of results) assert.deepEqual([r.status, r.reason], ['down', 'no complete response within 1000 ms']);
  assert.deepEqual(connectedWhenDone, Array(20).fill(20), 'servers holding a connection as each probe ended');
  // One after another they would take 20 s; this bound only says "not one after another".
  assert.ok(took >= 990 && took < 15_000, `20 probes took ${took} ms`);
  t.diagnostic(`20 parallel probes with a 1000 ms timeout took ${took} ms`);
});
