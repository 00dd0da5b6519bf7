import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Plan, Verdict } from '../../src/plan/types.js';
import type { ProbeStatus } from '../../src/probe/types.js';
import { clampToNow, emptyState, recordPass, type State } from '../../src/plan/history.js';
import { POLICY, probeResult, svc } from '../helpers/services.js';

const min = 60_000;
const service = svc('web');
const verdicts: Record<ProbeStatus, Verdict> = {
  up: { action: 'none', state: 'healthy', reason: 'up' },
  down: { action: 'restart', state: 'down', reason: 'down' },
  unknown: { action: 'none', state: 'unknown', reason: '?' },
};
const plan = (status: ProbeStatus, verdict = verdicts[status]): Plan => ({
  entries: [{ service, verdict, liveness: probeResult(status), deps: [] }],
});
const pass = (state: State, status: ProbeStatus, now: number, restart?: boolean, verdict?: Verdict): State =>
  recordPass(state, plan(status, verdict), restart === undefined ? new Map() : new Map([['web', { ok: restart }]]), now);

test('a restart is recorded with its outcome; one still dead after its grace is marked failed', () => {
  const s1 = pass(emptyState(), 'down', 0, true);
  assert.deepEqual(s1.services['web'], { restarts: [{ at: 0, ok: true }], backoffLevel: 0, downSince: 0, restartsTotal: 1 });
  const s2 = pass(s1, 'down', min, false);
  assert.deepEqual(
    s2.services['web']!.restarts,
    [
      { at: 0, ok: false },
      { at: min, ok: false },
    ],
    'still dead after the grace: the first failed too',
  );
  assert.equal(s2.services['web']!.downSince, 0, 'the outage started at the first pass that saw it');
});

test('seen up after a restart: the restart stands; a later death does not undo it', () => {
  const s1 = pass(emptyState(), 'down', 0, true);
  const s2 = pass(s1, 'up', min);
  assert.equal(s2.services['web']!.healthySince, min);
  assert.equal(s2.services['web']!.downSince, undefined);
  const s3 = pass(s2, 'down', 2 * min);
  assert.deepEqual(s3.services['web']!.restarts, [{ at: 0, ok: true }]);
});

test('reaching the limit stores the backoff; a whole healthy window resets its level', () => {
  const gaveUp: Verdict = { action: 'none', state: 'gave_up', reason: 'down', until: 8 * min, level: 1, newly: true };
  const s1 = pass(emptyState(), 'down', 3 * min, undefined, gaveUp);
  assert.equal(s1.services['web']!.backoffUntil, 8 * min);
  assert.equal(s1.services['web']!.backoffLevel, 1);
  const s2 = pass(s1, 'up', 9 * min);
  assert.equal(s2.services['web']!.backoffLevel, 1, 'just came up: not yet');
  const s3 = pass(s2, 'up', 14 * min);
  assert.equal(s3.services['web']!.backoffLevel, 0);
});

test('restarts older than the window are pruned, except the last; removed services are dropped', () => {
  let s = emptyState();
  for (const t of [0, 1, 2]) s = pass(s, 'down', t * min, false);
  s = pass(s, 'down', 20 * min);
  assert.deepEqual(s.services['web']!.restarts, [{ at: 2 * min, ok: false }]);
  const withGone: State = { version: 1, services: { ...s.services, gone: { restarts: [], backoffLevel: 0 } } };
  assert.deepEqual(Object.keys(pass(withGone, 'up', 21 * min).services), ['web']);
});

test('unknown liveness changes nothing but what the verdict says', () => {
  const s1 = pass(emptyState(), 'down', 0, true);
  assert.deepEqual(pass(s1, 'unknown', min).services['web'], s1.services['web']);
});

test('service names that are Object.prototype keys are plain names', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const p: Plan = { entries: [{ service: svc(name), verdict: verdicts.down, liveness: probeResult('down'), deps: [] }] };
    const s1 = recordPass(emptyState(), p, new Map([[name, { ok: true }]]), 0);
    assert.deepEqual(Object.keys(s1.services), [name]);
    assert.deepEqual(s1.services[name]!.restarts, [{ at: 0, ok: true }]);
    const s2 = recordPass(s1, p, new Map([[name, { ok: false }]]), min);
    assert.equal(s2.services[name]!.restarts.length, 2, name);
  }
});

test('a restart is dated when its script returned, so a slow script does not eat its own grace', () => {
  const s = recordPass(emptyState(), plan('down'), new Map([['web', { ok: true, durationMs: 45_000 }]]), 0);
  assert.deepEqual(s.services['web']!.restarts, [{ at: 45_000, ok: true }]);
});

test('clampToNow brings times a clock step left in the future back to now, and caps the backoff', () => {
  const future: State = {
    version: 1,
    services: { web: { restarts: [{ at: 8 * 3_600_000, ok: true }], backoffLevel: 3, downSince: 9e6, healthySince: 9e6, backoffUntil: 1e12 } },
  };
  const c = clampToNow(future, [service], min)!.services['web']!;
  assert.deepEqual(c.restarts, [{ at: min, ok: true }]);
  assert.deepEqual([c.downSince, c.healthySince, c.backoffUntil], [min, min, min + POLICY.backoffMaxMs]);
  const past = recordPass(emptyState(), plan('down'), new Map([['web', { ok: false }]]), 0);
  assert.deepEqual(clampToNow(past, [service], min).services['web'], past.services['web'], 'times in the past are kept');
});
