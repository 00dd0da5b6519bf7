// Waiting costs nothing: the boot grace and a dependency that is not ready hold a service back without spending
// its restart budget, however many passes the wait lasts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootGraceEnd } from '../../src/plan/decide.js';
import type { ProbeStatus } from '../../src/probe/types.js';
import { emptyState, recordPass, type State } from '../../src/plan/history.js';
import type { Verdict } from '../../src/plan/types.js';
import { POLICY, probeResult, svc, tcpDep } from '../helpers/services.js';
import { decideFor } from './support.js';

const db = tcpDep('db', { host: '10.0.0.5', port: 5432 });
const app = svc('app', [db], { policy: { ...POLICY, maxRestarts: 2, windowMs: 3_600_000 } });

interface Pass {
  verdict: Verdict;
  state: State;
}

/** One pass over the app alone: liveness, the database's readiness, the history, now and the boot grace's end. */
function pass(state: State, live: ProbeStatus, dbReady: ProbeStatus, now: number, bootUntil?: number, restartOk = true): Pass {
  const readiness = new Map([[db, probeResult(dbReady, `db ${dbReady}`)]]);
  const { plan } = decideFor([app], { app: live }, { readiness, state, now, bootUntil });
  const verdict = plan.entries[0]!.verdict;
  const restarts = new Map(verdict.action === 'restart' ? [['app', { ok: restartOk }]] : []);
  return { verdict, state: recordPass(state, plan, restarts, now) };
}

test('bootGraceEnd: the end of the grace from the uptime, or none when off, over or unknown', () => {
  assert.equal(bootGraceEnd(48_000, 90_000, 1_000_000), 1_042_000);
  assert.equal(bootGraceEnd(90_000, 90_000, 1_000_000), undefined);
  assert.equal(bootGraceEnd(500_000, 90_000, 1_000_000), undefined);
  assert.equal(bootGraceEnd(1_000, 0, 1_000_000), undefined);
  assert.equal(bootGraceEnd(undefined, 90_000, 1_000_000), undefined);
});

test('inside the boot grace a down service is booting, not restarted; with its dependency down too, it says which', () => {
  assert.deepEqual(pass(emptyState(), 'down', 'up', 0, 42_000).verdict, { action: 'none', state: 'booting', reason: 'down', until: 42_000 });
  assert.deepEqual(pass(emptyState(), 'down', 'down', 0, 42_000).verdict, {
    action: 'none',
    state: 'booting',
    reason: 'down',
    until: 42_000,
    dep: 'db',
    depReason: 'db down',
  });
  assert.equal(pass(emptyState(), 'up', 'down', 0, 42_000).verdict.state, 'healthy', 'a running service is judged as always');
  assert.equal(pass(emptyState(), 'unknown', 'up', 0, 42_000).verdict.state, 'unknown');
  assert.equal(pass(emptyState(), 'down', 'up', 42_000, 42_000).verdict.action, 'restart', 'the grace is over at its end');
});

test('a dependency down for ten hours of passes a minute apart: blocked every time, never given up, restarted once it answers', () => {
  let state = emptyState();
  const minute = 60_000;
  for (let n = 0; n < 600; n += 1) {
    const done = pass(state, 'down', 'down', n * minute);
    assert.equal(done.verdict.state, 'blocked', `pass ${n}`);
    state = done.state;
  }
  assert.deepEqual(state.services['app']?.restarts, [], 'no restart counted while waiting');
  assert.equal(state.services['app']?.backoffUntil, undefined);
  assert.equal(pass(state, 'down', 'up', 600 * minute).verdict.action, 'restart');
});

test('a boot grace of many passes spends no restart budget either', () => {
  let state = emptyState();
  for (let n = 0; n < 100; n += 1) {
    const done = pass(state, 'down', n % 2 ? 'up' : 'down', n * 1000, 100_000);
    assert.equal(done.verdict.state, 'booting');
    state = done.state;
  }
  assert.deepEqual(state.services['app']?.restarts, []);
  assert.equal(pass(state, 'down', 'up', 100_000, 100_000).verdict.action, 'restart');
});

test('a service whose budget was spent by real restarts waits blocked without starting a backoff; the limit applies when a restart is due', () => {
  let state = emptyState();
  // Two restarts that did not work (the script failed): the budget of two is spent.
  for (const now of [0, 60_000]) state = pass(state, 'down', 'up', now, undefined, false).state;
  assert.equal(state.services['app']?.restarts.length, 2);
  for (let n = 2; n < 200; n += 1) {
    const done = pass(state, 'down', 'down', n * 60_000);
    assert.equal(done.verdict.state, 'blocked', `pass ${n}: waiting on the database, not given up`);
    state = done.state;
  }
  assert.equal(state.services['app']?.backoffUntil, undefined, 'no backoff began while waiting');
  const due = pass(state, 'down', 'up', 200 * 60_000);
  assert.equal(due.verdict.action, 'restart', 'the window has passed: a fresh burst');
});

test('the limit still holds when a restart is due: spent inside the window, the service gives up', () => {
  let state = emptyState();
  for (const now of [0, 60_000]) state = pass(state, 'down', 'up', now, undefined, false).state;
  assert.equal(pass(state, 'down', 'down', 120_000).verdict.state, 'blocked');
  const due = pass(state, 'down', 'up', 120_000).verdict;
  assert.equal(due.state, 'gave_up');
  assert.equal(due.state === 'gave_up' && due.newly, true);
});
