import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffFor, countedRestarts, gateRestart } from '../../src/plan/policy.js';
import type { ServiceHistory } from '../../src/plan/history.js';
import { POLICY } from '../helpers/services.js';

const min = 60_000;
const hist = (restarts: [number, boolean][], extra: Partial<ServiceHistory> = {}): ServiceHistory => ({
  restarts: restarts.map(([at, ok]) => ({ at, ok })),
  backoffLevel: 0,
  ...extra,
});

test('no history: a restart is allowed', () => {
  assert.deepEqual(gateRestart(undefined, POLICY, 0), { kind: 'allowed' });
});

test('inside the start grace of a restart that ran: starting; a failed restart gives no grace', () => {
  assert.deepEqual(gateRestart(hist([[1000, true]]), POLICY, 1000 + 29_999), { kind: 'starting', until: 31_000 });
  assert.deepEqual(gateRestart(hist([[1000, true]]), POLICY, 31_000), { kind: 'allowed' });
  assert.deepEqual(gateRestart(hist([[1000, false]]), POLICY, 2000), { kind: 'allowed' });
});

test('a service seen up since its restart that died again is not starting: a new outage', () => {
  // Restarted at 1 s, seen up at 11 s, found dead at 21 s (still inside the 30 s grace).
  assert.deepEqual(gateRestart(hist([[1000, true]], { healthySince: 11_000 }), POLICY, 21_000), { kind: 'allowed' });
  // An outage that began after the restart also proves it had come up.
  assert.deepEqual(gateRestart(hist([[1000, true]], { downSince: 15_000 }), POLICY, 21_000), { kind: 'allowed' });
  // The outage that the restart answered began before it: still coming up.
  assert.deepEqual(gateRestart(hist([[1000, true]], { downSince: 500 }), POLICY, 21_000), { kind: 'starting', until: 31_000 });
});

test('max_restarts within the window: gave up, newly, with the first backoff', () => {
  const h = hist([
    [0, false],
    [min, false],
    [2 * min, false],
  ]);
  assert.deepEqual(gateRestart(h, POLICY, 3 * min), { kind: 'gave_up', until: 8 * min, level: 1, newly: true });
  // Restarts that left the window do not count.
  assert.deepEqual(gateRestart(h, POLICY, 5 * min + 1), { kind: 'allowed' });
});

test('while the backoff runs: still gave up, not newly; after it: a fresh burst', () => {
  const h = hist(
    [
      [0, false],
      [min, false],
      [2 * min, false],
    ],
    { backoffUntil: 8 * min, backoffLevel: 1 },
  );
  assert.deepEqual(gateRestart(h, POLICY, 7 * min), { kind: 'gave_up', until: 8 * min, level: 1, newly: false });
  assert.deepEqual(gateRestart(h, POLICY, 8 * min), { kind: 'allowed' });
  // Restarts before the backoff ended do not count against the burst after it, even inside the window.
  const short = { ...POLICY, backoffMs: min };
  const h2 = hist(
    [
      [0, false],
      [min, false],
      [2 * min, false],
    ],
    { backoffUntil: 3 * min, backoffLevel: 1 },
  );
  assert.equal(countedRestarts(h2, short, 3 * min), 0);
  const burst = hist(
    [
      [0, false],
      [min, false],
      [2 * min, false],
      [3 * min, false],
      [4 * min, false],
      [4.5 * min, false],
    ],
    { backoffUntil: 3 * min, backoffLevel: 1 },
  );
  assert.deepEqual(gateRestart(burst, short, 4.6 * min), { kind: 'gave_up', until: 4.6 * min + 2 * min, level: 2, newly: true });
});

test('backoff doubles per level and stops at backoff_max', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 10].map((l) => backoffFor(l, POLICY) / min),
    [5, 10, 20, 40, 60, 60],
  );
});
