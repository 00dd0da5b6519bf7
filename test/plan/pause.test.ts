// Pause, resume and reset in the decision and the history (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, recordPass, type State } from '../../src/plan/history.js';
import { pauseServices, resetServices, resumeServices } from '../../src/plan/maintenance.js';
import { gateRestart } from '../../src/plan/policy.js';
import { named, POLICY, svc } from '../helpers/services.js';
import { decideFor } from './support.js';

const pause = { by: 'alice', since: 1000, until: 10_000, reason: 'upgrade' };

test('a paused service is never restarted, dead or alive, and carries who, why and until when', () => {
  const state = pauseServices(emptyState(), ['db'], pause);
  for (const live of ['down', 'up', 'unknown'] as const) {
    const verdict = decideFor([svc('db')], { db: live }, { state, now: 5000 }).verdicts.get('db');
    assert.deepEqual(verdict, { action: 'none', state: 'paused', reason: live, up: live === 'up', pause });
  }
});

test('a pause ends by itself at its time, and the next pass forgets it', () => {
  const state = pauseServices(emptyState(), ['db'], pause);
  const { plan, verdicts: v } = decideFor([svc('db')], { db: 'down' }, { state, now: 10_000 });
  assert.equal(v.get('db')?.action, 'restart');
  assert.equal(recordPass(state, plan, new Map(), 10_000).services['db']!.pause, undefined);
  const open = pauseServices(emptyState(), ['db'], { by: 'bob', since: 0 });
  assert.equal(
    decideFor([svc('db')], { db: 'down' }, { state: open, now: 1e13 }).verdicts.get('db')?.state,
    'paused',
    'no until: paused until resumed',
  );
});

test('dependents of a paused service: ready while it runs, blocked while it does not', () => {
  const services = [svc('api', [named('db')]), svc('db')];
  const state = pauseServices(emptyState(), ['db'], pause);
  assert.equal(decideFor(services, { db: 'up', api: 'down' }, { state, now: 5000 }).verdicts.get('api')?.action, 'restart');
  const blocked = decideFor(services, { db: 'down', api: 'down' }, { state, now: 5000 }).verdicts.get('api');
  assert.deepEqual(blocked, { action: 'none', state: 'blocked', reason: 'down', dep: 'db', depReason: 'it is paused and not running' });
});

test('resume ends the pause; reset clears a spent restart limit and its backoff; other services are untouched', () => {
  let state = pauseServices(emptyState(), ['db', 'web'], pause);
  state = resumeServices(state, ['db']);
  assert.equal(state.services['db']!.pause, undefined);
  assert.deepEqual(state.services['web']!.pause, pause);
  const spent: State = emptyState();
  spent.services['db'] = {
    restarts: [
      { at: 100, ok: false },
      { at: 200, ok: false },
      { at: 300, ok: false },
    ],
    backoffUntil: 400_000,
    backoffLevel: 2,
    restartsTotal: 3,
  };
  assert.equal(gateRestart(spent.services['db'], POLICY, 1000).kind, 'gave_up');
  const reset = resetServices(spent, ['db']);
  assert.equal(gateRestart(reset.services['db'], POLICY, 1000).kind, 'allowed');
  assert.equal(reset.services['db']!.restartsTotal, 3, 'the counters of the metrics keep counting');
  assert.equal(spent.services['db']!.backoffLevel, 2, 'the input is not changed');
});

test('the totals count every restart run and every failure, once each', () => {
  const services = [svc('db')];
  const { plan } = decideFor(services, { db: 'down' }, { state: emptyState(), now: 0 });
  let state = recordPass(emptyState(), plan, new Map([['db', { ok: false }]]), 0);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [1, 1]);
  state = recordPass(state, decideFor(services, { db: 'down' }, { state, now: 60_000 }).plan, new Map([['db', { ok: true }]]), 60_000);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [2, 1]);
  // Still dead once the grace is over: that restart failed too.
  state = recordPass(state, decideFor(services, { db: 'down' }, { state, now: 100_000 }).plan, new Map(), 100_000);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [2, 2]);
});
