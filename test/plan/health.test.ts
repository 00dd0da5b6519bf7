// The decision for running services with health settings (pure): checks counted per pass, a dependency to blame,
// restart after a dependency recovers, limits; exhaustively over the inputs that matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../src/plan/decide.js';
import { cpuSince } from '../../src/plan/health.js';
import { emptyState, recordPass, type ServiceHistory, type State } from '../../src/plan/history.js';
import type { Health, Service } from '../../src/config/types.js';
import type { ProbeStatus } from '../../src/probe/types.js';
import type { HealthSeen } from '../../src/plan/health.js';
import { named, probeResult as r, svc, tcpDep } from '../helpers/services.js';

const db = tcpDep('db', { port: 5432 });
const check = { probe: { kind: 'http' as const, url: 'http://127.0.0.1:8080/health' }, timeoutMs: 1000 };
/** Health settings with a check unless `check: undefined` is given. */
const health = (extra: Omit<Partial<Health>, 'check'> & { check?: Health['check'] | undefined } = {}): Health => {
  const { check: given, ...rest } = extra;
  const c = 'check' in extra ? given : check;
  return { ...(c ? { check: c } : {}), failures: 3, restartOnDependencyRecovery: false, stopTimeoutMs: 10_000, ...rest };
};
const app = (h: Health = health()): Service => svc('app', [db], { health: h });
const NOW = 1_000_000_000;

type Judged = { check?: ProbeStatus; checkReason?: string; db?: ProbeStatus; history?: ServiceHistory; usage?: HealthSeen['usage'] };
const judge = (service: Service, o: Judged) => judgeAt(service, o, NOW);

function judgeAt(service: Service, o: Judged, now: number) {
  const seen: HealthSeen = {
    ...(o.check ? { check: r(o.check, o.checkReason ?? (o.check === 'down' ? 'HTTP 503' : 'HTTP 200')) } : {}),
    ...(o.usage ? { usage: o.usage } : {}),
  };
  const state: State = emptyState();
  if (o.history) state.services['app'] = o.history;
  const plan = decide(
    [service],
    ['app'],
    {
      liveness: new Map([['app', { ...r('up', '`app` is running (pid 42)'), pid: 42, startTicks: 7 }]]),
      readiness: new Map([[db, r(o.db ?? 'up', o.db === 'down' ? 'connection refused' : 'connected')]]),
      health: new Map([['app', seen]]),
    },
    state,
    now,
  );
  return { entry: plan.entries[0]!, plan, state };
}
const hist = (extra: Partial<ServiceHistory> = {}): ServiceHistory => ({ restarts: [], backoffLevel: 0, ...extra });

test('a failing check is counted once per pass and restarts the service at exactly `failures`, not before', () => {
  let state = emptyState();
  const seenStates: string[] = [];
  for (let pass = 1; pass <= 3; pass++) {
    const { entry, plan } = judge(app(), { check: 'down', ...(state.services['app'] ? { history: state.services['app'] } : {}) });
    seenStates.push(`${entry.verdict.state}: ${entry.verdict.reason}`);
    state = recordPass(state, plan, new Map(), NOW);
  }
  assert.deepEqual(seenStates, [
    'checking: check failed 1 of 3: HTTP 503',
    'checking: check failed 2 of 3: HTTP 503',
    'unhealthy: check failed 3 of 3: HTTP 503',
  ]);
  const { entry } = judge(app(), { check: 'down', history: hist({ unhealthyPasses: 2 }) });
  assert.deepEqual(entry.verdict, { action: 'restart', state: 'unhealthy', reason: 'check failed 3 of 3: HTTP 503', cause: 'check' });
});

test('a check that passes resets the count; one that cannot tell neither counts nor resets', () => {
  assert.equal(judge(app(), { check: 'up', history: hist({ unhealthyPasses: 2 }) }).entry.health?.failures, 0);
  const unknown = judge(app(), { check: 'unknown', checkReason: 'permission denied', history: hist({ unhealthyPasses: 2 }) }).entry;
  assert.equal(unknown.verdict.state, 'unknown');
  assert.equal(unknown.health?.failures, 2);
});

test('a check failing while a direct dependency is not ready blames it: blocked, not counted, not restarted', () => {
  const { entry } = judge(app(), { check: 'down', db: 'down', history: hist({ unhealthyPasses: 2 }) });
  assert.deepEqual(entry.verdict, { action: 'none', state: 'blocked', reason: 'check failed: HTTP 503', dep: 'db', depReason: 'connection refused' });
  assert.equal(entry.health?.failures, 2);
});

test('restart_on_dependency_recovery: a dependency seen down while it ran restarts it once, in the first pass it answers', () => {
  const service = app(health({ check: undefined, restartOnDependencyRecovery: true }));
  const down = judge(service, { db: 'down' });
  assert.equal(down.entry.verdict.state, 'healthy');
  assert.equal(down.entry.health?.dependencyDown, 'db');
  const after = recordPass(emptyState(), down.plan, new Map(), NOW);
  assert.equal(after.services['app']?.dependencyDown, 'db');
  const back = judge(service, { db: 'up', history: after.services['app']! });
  assert.deepEqual(back.entry.verdict, { action: 'restart', state: 'unhealthy', reason: 'dependency db recovered', cause: 'dependency_recovered' });
  // Restarted: the memory is cleared, so it is not restarted again.
  const cleared = recordPass(after, back.plan, new Map([['app', { ok: true }]]), NOW);
  assert.equal(cleared.services['app']?.dependencyDown, undefined);
});

test('a failed stop forgets nothing: the service stays unhealthy, and each failed stop counts against max_restarts', () => {
  const stopFailed = { ok: false, stop: { ok: false } };
  let state: State = { version: 1, services: { app: hist({ unhealthyPasses: 2 }) } };
  const seen: string[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const now = NOW + pass * 60_000;
    const { entry, plan } = judgeAt(app(), { check: 'down', history: state.services['app']! }, now);
    seen.push(`${entry.verdict.state}: ${entry.verdict.reason}`);
    state = recordPass(state, plan, entry.verdict.action === 'restart' ? new Map([['app', stopFailed]]) : new Map(), now);
    assert.equal(state.services['app']?.unhealthyPasses, 3 + pass, `pass ${pass + 1}: the count goes on`);
  }
  assert.deepEqual(seen, [
    'unhealthy: check failed 3 of 3: HTTP 503',
    'unhealthy: check failed 4 passes in a row: HTTP 503',
    'unhealthy: check failed 5 passes in a row: HTTP 503',
    'gave_up: check failed 6 passes in a row: HTTP 503',
    'gave_up: check failed 7 passes in a row: HTTP 503',
  ]);
  const h = state.services['app']!;
  assert.deepEqual([h.restarts.map((x) => x.ok), h.restartsTotal, h.failuresTotal, h.backoffLevel], [[false, false, false], 3, 3, 1]);
  assert.ok(h.backoffUntil !== undefined && h.backoffUntil > NOW + 4 * 60_000);
});

test('a failed stop keeps a recovered dependency in memory, so the restart it owes is tried again; a good stop clears it', () => {
  const service = app(health({ check: undefined, restartOnDependencyRecovery: true }));
  const back = judge(service, { db: 'up', history: hist({ dependencyDown: 'db' }) });
  assert.equal(back.entry.verdict.action, 'restart');
  const failed = recordPass(back.state, back.plan, new Map([['app', { ok: false, stop: { ok: false } }]]), NOW);
  assert.equal(failed.services['app']?.dependencyDown, 'db');
  const again = judge(service, { db: 'up', history: failed.services['app']! });
  assert.deepEqual(again.entry.verdict, { action: 'restart', state: 'unhealthy', reason: 'dependency db recovered', cause: 'dependency_recovered' });
  const stopped = recordPass(failed, again.plan, new Map([['app', { ok: true, stop: { ok: true } }]]), NOW);
  assert.deepEqual([stopped.services['app']?.dependencyDown, stopped.services['app']?.unhealthyPasses], [undefined, undefined]);
});

test('a service whose check fails is not ready for name-only dependents', () => {
  const web = svc('web', [named('app')]);
  const plan = decide(
    [app(), web],
    ['app', 'web'],
    {
      liveness: new Map([
        ['app', { ...r('up'), pid: 42 }],
        ['web', r('down')],
      ]),
      readiness: new Map([[db, r('up')]]),
      health: new Map([['app', { check: r('down', 'HTTP 503') }]]),
    },
    emptyState(),
    NOW,
  );
  assert.deepEqual(plan.entries[1]!.verdict, { action: 'none', state: 'blocked', reason: 'down', dep: 'app', depReason: 'it is checking' });
});

test('limits: over max_memory for `failures` passes restarts it, with the figure', () => {
  const service = app(health({ check: undefined, maxMemoryBytes: 2 * 2 ** 30 }));
  const usage = { rssBytes: 2.3 * 2 ** 30, cpuTimeMs: 10, uptimeMs: 60_000 };
  assert.equal(judge(service, { usage }).entry.verdict.reason, 'rss 2.3 GiB > max_memory 2 GiB for 1 of 3 passes');
  assert.deepEqual(judge(service, { usage, history: hist({ unhealthyPasses: 2 }) }).entry.verdict, {
    action: 'restart',
    state: 'unhealthy',
    reason: 'rss 2.3 GiB > max_memory 2 GiB for 3 passes',
    cause: 'max_memory',
  });
  // Its dependency down does not excuse memory, but it is not restarted until the dependency answers.
  assert.equal(judge(service, { usage, db: 'down', history: hist({ unhealthyPasses: 2 }) }).entry.verdict.state, 'blocked');
});

test('max_cpu is measured between passes, on the same process only', () => {
  assert.equal(cpuSince({ pid: 42, cpuTimeMs: 1000, at: 0 }, 42, { cpuTimeMs: 91_000, uptimeMs: 600_000 }, 60_000), 150);
  assert.equal(cpuSince({ pid: 42, cpuTimeMs: 1000, at: 0 }, 43, { cpuTimeMs: 91_000, uptimeMs: 600_000 }, 60_000), undefined);
  // A process younger than the sample is another one with the same pid.
  assert.equal(cpuSince({ pid: 42, cpuTimeMs: 1000, at: 0 }, 42, { cpuTimeMs: 91_000, uptimeMs: 5_000 }, 60_000), undefined);
  const service = app(health({ check: undefined, maxCpuPercent: 100, failures: 1 }));
  const v = judge(service, {
    usage: { rssBytes: 1, cpuTimeMs: 91_000 + 0, uptimeMs: 600_000 },
    history: hist({ cpuSample: { pid: 42, cpuTimeMs: 1000, at: NOW - 60_000 } }),
  }).entry.verdict;
  assert.deepEqual(v, { action: 'restart', state: 'unhealthy', reason: 'cpu 150% > max_cpu 100% for 1 pass', cause: 'max_cpu' });
});

// Every combination of check result, dependency, count so far, a dependency seen down before, the option, and
// the restart gate: the invariants the issue states hold in each.
test('decision table for a running service with health settings, exhaustively', () => {
  let cases = 0;
  for (const checkStatus of [undefined, 'up', 'down', 'unknown'] as const)
    for (const dbStatus of ['up', 'down'] as const)
      for (const prior of [0, 1, 2])
        for (const sawDown of [false, true])
          for (const rodr of [false, true])
            for (const gate of ['allowed', 'starting', 'gave_up'] as const) {
              const h = hist({
                ...(prior ? { unhealthyPasses: prior } : {}),
                ...(sawDown ? { dependencyDown: 'db' } : {}),
                ...(gate === 'starting' ? { restarts: [{ at: NOW - 1000, ok: true }] } : {}),
                ...(gate === 'gave_up' ? { backoffUntil: NOW + 60_000, backoffLevel: 1 } : {}),
              });
              const service = app(health({ ...(checkStatus === undefined ? { check: undefined } : {}), restartOnDependencyRecovery: rodr }));
              const { entry } = judge(service, { ...(checkStatus ? { check: checkStatus } : {}), db: dbStatus, history: h });
              const v = entry.verdict;
              const what = JSON.stringify({ checkStatus, dbStatus, prior, sawDown, rodr, gate, v });
              const recovered = rodr && sawDown && dbStatus === 'up';
              const failing = checkStatus === 'down';
              // Never during the start grace, never with a dependency down, never past the limit.
              if (v.action === 'restart') assert.ok(gate === 'allowed' && dbStatus === 'up', what);
              // Restarted exactly when the dependency recovered, or the check failed for the `failures`-th pass in a row.
              const expectRestart = gate === 'allowed' && dbStatus === 'up' && (recovered || (failing && prior + 1 >= 3));
              assert.equal(v.action === 'restart', expectRestart, what);
              if (v.state === 'unhealthy') assert.equal(v.cause, recovered ? 'dependency_recovered' : 'check', what);
              // The count: grows by one only for a failing check with its dependencies ready, outside the grace.
              const counted = failing && dbStatus === 'up' && gate !== 'starting' && !recovered;
              const expectCount =
                gate === 'starting'
                  ? 0
                  : counted
                    ? prior + 1
                    : failing && dbStatus === 'down'
                      ? prior
                      : checkStatus === 'unknown' && !recovered
                        ? prior
                        : 0;
              if (!recovered) assert.equal(entry.health?.failures, expectCount, what);
              // A failing check with its dependency down is blamed on the dependency.
              if (failing && dbStatus === 'down' && gate !== 'starting') assert.equal(v.state, 'blocked', what);
              // Healthy (ready for dependents) only when its check did not fail or stay silent.
              if (v.state === 'healthy') assert.ok(checkStatus === undefined || checkStatus === 'up', what);
              // The dependency seen down is remembered with the option, and only with it.
              if (rodr && dbStatus === 'down') assert.equal(entry.health?.dependencyDown, 'db', what);
              if (!rodr) assert.equal(entry.health?.dependencyDown, undefined, what);
              cases++;
            }
  assert.equal(cases, 4 * 2 * 3 * 2 * 2 * 3);
});
