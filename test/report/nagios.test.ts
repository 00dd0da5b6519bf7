import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderNagios, renderNagiosError } from '../../src/report/nagios.js';
import type { PassReport, ServiceReport } from '../../src/report/model.js';
import { probeResult } from '../helpers/services.js';

const live = probeResult('up', 'running');
const down = probeResult('down', 'pid file /run/x.pid does not exist');
const healthy = (name: string): ServiceReport => ({ name, state: 'healthy', reason: 'running', liveness: live, deps: [] });
const blocked = (name: string, dep: string, why: string): ServiceReport => ({
  name,
  state: 'blocked',
  reason: down.reason,
  liveness: down,
  deps: [{ name: dep, target: 'tcp 10.77.0.1:6379' }],
  blockedBy: { name: dep, target: 'tcp 10.77.0.1:6379', reason: why },
});
const report = (services: ServiceReport[], extra: Partial<PassReport> = {}): PassReport => ({
  startedAt: Date.UTC(2026, 10, 26, 18),
  dryRun: false,
  durationMs: 210,
  services,
  ...extra,
});

const PERF_ZERO = 'restarted=0;;; failed=0;;; would_restart=0;;; ';

test('all healthy: OK, the count, and perfdata for every state and the duration', () => {
  const out = renderNagios(report([healthy('a'), healthy('b')]));
  assert.equal(
    out,
    `AUTOHEAL OK - 2 services healthy | healthy=2;;; ${PERF_ZERO}blocked=0;;; unknown=0;;; starting=0;;; booting=0;;; gave_up=0;;; checking=0;;; unhealthy=0;;; paused=0;;; duration=0.210s;;;\n`,
  );
});

test('the worst service leads, with the dependency and why; the others follow on their own lines', () => {
  const restarted: ServiceReport = { name: 'db', state: 'restarted', reason: down.reason, liveness: down, deps: [] };
  const out = renderNagios(report([healthy('a'), restarted, blocked('web', 'api', 'timeout 2s')]));
  const [first, ...rest] = out.trimEnd().split('\n');
  assert.equal(
    first,
    'AUTOHEAL CRITICAL - web blocked by api (timeout 2s), 1 more | healthy=1;;; restarted=1;;; failed=0;;; would_restart=0;;; blocked=1;;; unknown=0;;; starting=0;;; booting=0;;; gave_up=0;;; checking=0;;; unhealthy=0;;; paused=0;;; duration=0.210s;;;',
  );
  assert.deepEqual(
    rest.map((l) => l.split(':')[0]),
    ['web blocked', 'db restarted'],
  );
  assert.match(rest[0]!, /waiting for api \(tcp 10\.77\.0\.1:6379\): timeout 2s/);
});

test('the status text stays under 80 characters and holds no `|` of its own', () => {
  const out = renderNagios(report([blocked('a-rather-long-service-name', 'its|dependency', 'x'.repeat(200))]));
  const text = out.split('\n')[0]!.split(' | ')[0]!;
  assert.ok(text.length < 80, `${text.length}: ${text}`);
  assert.ok(text.endsWith('...'));
  assert.equal(out.split('\n')[0]!.split('|').length, 2, 'one perfdata separator');
});

test('an interrupted pass is UNKNOWN; an error is UNKNOWN with its first line as the text', () => {
  assert.match(renderNagios(report([healthy('a')], { interrupted: 'SIGTERM' })), /^AUTOHEAL UNKNOWN - pass interrupted by SIGTERM \| /);
  assert.equal(
    renderNagiosError('2 problems in the config\n/etc/a.yaml:1:1: x'),
    'AUTOHEAL UNKNOWN - 2 problems in the config\n/etc/a.yaml:1:1: x\n',
  );
});
