// Pause, resume and reset in the decision and the history (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/plan/decide.js';
import type { Dependency, Service } from '../../src/config/types.js';
import type { ProbeResult, ProbeStatus } from '../../src/probe/types.js';
import { buildEdges, dependencyOrder } from '../../src/graph/graph.js';
import { emptyState, recordPass, type State } from '../../src/plan/history.js';
import { pauseServices, resetServices, resumeServices } from '../../src/plan/maintenance.js';
import { gateRestart } from '../../src/plan/policy.js';

const r = (status: ProbeStatus): ProbeResult => ({ status, reason: status, ms: 1 });
const named = (name: string): Dependency => ({ name, probe: { kind: 'service' }, timeoutMs: 1000, internal: true });
const policy = { startGraceMs: 30_000, maxRestarts: 3, windowMs: 300_000, backoffMs: 300_000, backoffMaxMs: 3_600_000 };
const svc = (name: string, deps: Dependency[] = []): Service => ({
  name,
  pname: name,
  script: `start ${name}`,
  deps,
  probeTimeoutMs: 1000,
  restartTimeoutMs: 1000,
  policy,
  detach: false,
});

function verdicts(services: Service[], liveness: Record<string, ProbeStatus>, state: State, now: number) {
  const live = new Map(Object.entries(liveness).map(([k, v]) => [k, r(v)]));
  const plan = decide(services, dependencyOrder(buildEdges(services)), { liveness: live, readiness: new Map() }, state, now);
  return { plan, v: new Map(plan.entries.map((e) => [e.service.name, e.verdict])) };
}

const pause = { by: 'alice', since: 1000, until: 10_000, reason: 'upgrade' };

test('a paused service is never restarted, dead or alive, and carries who, why and until when', () => {
  const state = pauseServices(emptyState(), ['db'], pause);
  for (const live of ['down', 'up', 'unknown'] as const) {
    const verdict = verdicts([svc('db')], { db: live }, state, 5000).v.get('db');
    assert.deepEqual(verdict, { action: 'none', state: 'paused', reason: live, up: live === 'up', pause });
  }
});

test('a pause ends by itself at its time, and the next pass forgets it', () => {
  const state = pauseServices(emptyState(), ['db'], pause);
  const { plan, v } = verdicts([svc('db')], { db: 'down' }, state, 10_000);
  assert.equal(v.get('db')?.action, 'restart');
  assert.equal(recordPass(state, plan, new Map(), 10_000).services['db']!.pause, undefined);
  const open = pauseServices(emptyState(), ['db'], { by: 'bob', since: 0 });
  assert.equal(verdicts([svc('db')], { db: 'down' }, open, 1e13).v.get('db')?.state, 'paused', 'no until: paused until resumed');
});

test('dependents of a paused service: ready while it runs, blocked while it does not', () => {
  const services = [svc('api', [named('db')]), svc('db')];
  const state = pauseServices(emptyState(), ['db'], pause);
  assert.equal(verdicts(services, { db: 'up', api: 'down' }, state, 5000).v.get('api')?.action, 'restart');
  const blocked = verdicts(services, { db: 'down', api: 'down' }, state, 5000).v.get('api');
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
  assert.equal(gateRestart(spent.services['db'], policy, 1000).kind, 'gave_up');
  const reset = resetServices(spent, ['db']);
  assert.equal(gateRestart(reset.services['db'], policy, 1000).kind, 'allowed');
  assert.equal(reset.services['db']!.restartsTotal, 3, 'the counters of the metrics keep counting');
  assert.equal(spent.services['db']!.backoffLevel, 2, 'the input is not changed');
});

test('the totals count every restart run and every failure, once each', () => {
  const services = [svc('db')];
  const { plan } = verdicts(services, { db: 'down' }, emptyState(), 0);
  let state = recordPass(emptyState(), plan, new Map([['db', { ok: false }]]), 0);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [1, 1]);
  state = recordPass(state, verdicts(services, { db: 'down' }, state, 60_000).plan, new Map([['db', { ok: true }]]), 60_000);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [2, 1]);
  // Still dead once the grace is over: that restart failed too.
  state = recordPass(state, verdicts(services, { db: 'down' }, state, 100_000).plan, new Map(), 100_000);
  assert.deepEqual([state.services['db']!.restartsTotal, state.services['db']!.failuresTotal], [2, 2]);
});
