// Mail on change: what a pass under cron tells, against what the last one told (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectChanges, recordReported } from '../../src/report/changes.js';
import { emptyHistory, emptyState, type State } from '../../src/plan/history.js';
import type { PassReport, ServiceReport, ServiceState } from '../../src/report/model.js';
import { renderText } from '../../src/report/text.js';
import { probeResult } from '../helpers/services.js';

const HOUR = 3_600_000;
const down = probeResult('down', 'no pid file');
const up = probeResult('up', 'running');
function svc(name: string, state: ServiceState, dep = 'db'): ServiceReport {
  const base = { name, state, reason: state === 'healthy' ? 'running' : 'no pid file', liveness: state === 'healthy' ? up : down, deps: [] };
  return state === 'blocked' ? { ...base, blockedBy: { name: dep, target: 'tcp 10.77.0.1:6379', reason: 'connection refused' } } : base;
}
const report = (services: ServiceReport[], at: number): PassReport => ({ startedAt: at, dryRun: false, durationMs: 5, services });

/** Runs passes in a row, each a list of services; returns what each pass told. */
function passes(...rounds: [number, ServiceReport[]][]): string[][] {
  let state: State = emptyState();
  const told: string[][] = [];
  for (const [at, services] of rounds) {
    for (const s of services) state.services[s.name] ??= emptyHistory();
    const r = report(services, at);
    const changes = detectChanges(r, state, HOUR, at);
    told.push(changes.map((c) => `${c.service} ${c.event}${c.reminder ? ' again' : ''}`));
    state = recordReported(state, r, changes, at);
  }
  return told;
}

test('an ongoing problem is told once, then once per remind; the state the exit code reports is untouched', () => {
  const told = passes(
    [0, [svc('app', 'blocked')]],
    [60_000, [svc('app', 'blocked')]],
    [HOUR - 1, [svc('app', 'blocked')]],
    [HOUR, [svc('app', 'blocked')]],
    [HOUR + 60_000, [svc('app', 'blocked')]],
  );
  assert.deepEqual(told, [['app blocked'], [], [], ['app blocked again'], []]);
});

test('blocked by another dependency is news; so are restarted, failed, gave up and paused', () => {
  const told = passes(
    [0, [svc('app', 'blocked', 'db'), svc('db', 'restart_failed'), svc('x', 'paused')]],
    [1, [svc('app', 'blocked', 'cache'), svc('db', 'gave_up'), svc('x', 'paused')]],
    [2, [svc('app', 'restarted'), svc('db', 'gave_up'), svc('x', 'paused')]],
  );
  assert.deepEqual(told, [['app blocked', 'db restart_failed', 'x paused'], ['app blocked', 'db gave_up'], ['app restarted']]);
});

test('healthy again after a problem is `recovered`; after a restart it is expected and not told', () => {
  const told = passes(
    [0, [svc('a', 'gave_up'), svc('b', 'restarted'), svc('c', 'healthy')]],
    [1, [svc('a', 'healthy'), svc('b', 'healthy'), svc('c', 'healthy')]],
  );
  assert.deepEqual(told, [['a gave_up', 'b restarted'], ['a recovered']]);
});

test('under cron the text shows only what changed; a reminder says since when; a terminal shows everything', () => {
  const r = report([svc('app', 'blocked'), svc('db', 'gave_up'), svc('web', 'healthy')], 2 * HOUR);
  const changes = [{ service: 'app', event: 'blocked' as const, reminder: true, since: 0 }];
  const cron = renderText(r, { verbose: false, interactive: false, changes });
  assert.match(
    cron,
    /^app +blocked +no pid file; waiting for db \(tcp 10\.77\.0\.1:6379\): connection refused; still blocked since 1970-01-01 00:00:00 UTC \(2h\)$/m,
  );
  assert.doesNotMatch(cron, /^db/m);
  assert.match(cron, /^CRITICAL: 1 gave up, 1 blocked, 1 healthy/m, 'the summary still counts every service');
  assert.equal(renderText(r, { verbose: false, interactive: false, changes: [] }), '', 'nothing new: silent, whatever the state');
  assert.match(renderText(r, { verbose: false, interactive: true, changes: [] }), /^db +GAVE UP/m);
});
