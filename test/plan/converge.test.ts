// Converging rounds (pure): what a new round probes again, when the next round starts, and that none starts late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampTimeout,
  FAST_ROUND_INTERVAL_MS,
  isComingUp,
  isWaiting,
  mergeLiveness,
  nextRoundAt,
  pendingServices,
  ROUND_INTERVAL_MS,
} from '../../src/plan/converge.js';
import type { Service } from '../../src/config/types.js';
import type { Plan, Verdict } from '../../src/plan/types.js';
import { named, probeResult, svc } from '../helpers/services.js';

const down = probeResult('down');

test('waiting: blocked, or booting with a grace that ends within the run; coming up: starting or being restarted', () => {
  const cases: [Verdict, boolean, boolean][] = [
    [{ action: 'none', state: 'blocked', reason: 'down', dep: 'db', depReason: 'refused' }, true, false],
    [{ action: 'none', state: 'booting', reason: 'down', until: 9_000 }, true, false],
    [{ action: 'none', state: 'booting', reason: 'down', until: 11_000 }, false, false],
    [{ action: 'none', state: 'starting', reason: 'down', until: 5 }, false, true],
    [{ action: 'restart', state: 'down', reason: 'down' }, false, true],
    [{ action: 'none', state: 'healthy', reason: 'up' }, false, false],
    [{ action: 'none', state: 'unknown', reason: 'EACCES' }, false, false],
    [{ action: 'none', state: 'gave_up', reason: 'down', until: 5, level: 1, newly: false }, false, false],
  ];
  for (const [verdict, waiting, comingUp] of cases) {
    assert.equal(isWaiting(verdict, 10_000), waiting, `${verdict.state} waiting`);
    assert.equal(isComingUp(verdict), comingUp, `${verdict.state} coming up`);
  }
});

const restart: Verdict = { action: 'restart', state: 'down', reason: 'down' };
const blockedOn = (dep: string): Verdict => ({ action: 'none', state: 'blocked', reason: 'down', dep, depReason: 'refused' });
const entry = (service: Service, verdict: Verdict) => ({ service, liveness: down, deps: [], verdict });

test('in flux: what waits, and what comes up that something waits for; a lone restart and a failed one are settled', () => {
  const db = svc('db');
  const api = svc('api', [named('db')]);
  const web = svc('web', [named('api')]);
  const plan: Plan = {
    entries: [
      entry(db, restart),
      entry(api, blockedOn('db')),
      entry(web, blockedOn('api')),
      entry(svc('lone'), restart),
      entry(svc('broke'), restart),
    ],
  };
  assert.deepEqual(
    pendingServices(plan, new Set(['broke']), 10_000).map((s) => s.name),
    ['db', 'api', 'web'],
  );
  const done: Plan = { entries: [entry(db, { action: 'none', state: 'healthy', reason: 'up' }), entry(api, restart)] };
  assert.deepEqual(pendingServices(done, new Set(), 10_000), [], 'the last link restarted: nothing waits for it');
});

test('fresh liveness replaces the last; what was not probed again keeps its last result', () => {
  const up = probeResult('up');
  const merged = mergeLiveness(
    new Map([
      ['a', up],
      ['b', down],
    ]),
    new Map([['b', up]]),
  );
  assert.deepEqual(
    [...merged],
    [
      ['a', up],
      ['b', up],
    ],
  );
});

test('rounds about a second apart, faster right after a restart, and none at or past the end of the budget', () => {
  assert.equal(nextRoundAt(1000, 1200, 60_000), 1000 + ROUND_INTERVAL_MS);
  assert.equal(nextRoundAt(1000, 1050, 60_000, 1020), 1000 + FAST_ROUND_INTERVAL_MS);
  assert.equal(nextRoundAt(1000, 30_000, 60_000, 1100), 30_000, 'long after the restart: a round that ran late starts the next at once');
  assert.equal(nextRoundAt(1000, 2500, 60_000), 2500);
  assert.equal(nextRoundAt(59_500, 59_600, 60_000), undefined);
  assert.equal(nextRoundAt(1000, 60_000, 60_000, 59_999), undefined);
});

test('a probe timeout ends by the end of the run', () => {
  assert.equal(clampTimeout(5000, 1000, 60_000), 5000);
  assert.equal(clampTimeout(5000, 58_000, 60_000), 2000);
  assert.equal(clampTimeout(5000, 60_000, 60_000), 1);
});
