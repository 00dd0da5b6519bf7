import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRestart, formatSpan, renderText, summary } from '../../src/report/text.js';
import { renderJson } from '../../src/report/json.js';
import { passExitCode } from '../../src/report/exit-code.js';
import type { PassReport, ServiceReport } from '../../src/report/model.js';
import { probeResult } from '../helpers/services.js';

const live = probeResult('up', 'running');
const down = probeResult('down', 'pid file /run/x.pid does not exist');
const healthy = (name: string): ServiceReport => ({ name, state: 'healthy', reason: 'running', liveness: live, deps: [] });
const report = (services: ServiceReport[], extra: Partial<PassReport> = {}): PassReport => ({
  startedAt: Date.UTC(2026, 10, 26, 18, 0, 0),
  dryRun: false,
  durationMs: 41,
  services,
  ...extra,
});

test('all healthy: nothing at all when not on a terminal, a summary when on one', () => {
  const r = report([healthy('a'), healthy('b')]);
  assert.equal(renderText(r, { verbose: false, interactive: false }), '');
  assert.equal(renderText(r, { verbose: false, interactive: true }), 'OK: 2 healthy; 2 services in 41 ms\n');
});

test('one aligned line per service that is not healthy, worst counts first in the summary', () => {
  const log = '/var/lib/autoheal/logs/db.log';
  const r = report([
    healthy('web'),
    {
      name: 'db',
      state: 'restarted',
      reason: down.reason,
      liveness: down,
      deps: [],
      restart: { ok: true, exitCode: 0, timedOut: false, durationMs: 18, logPath: log },
    },
    {
      name: 'api-server',
      state: 'blocked',
      reason: down.reason,
      liveness: down,
      deps: [],
      blockedBy: { name: 'db', target: 'tcp 10.77.0.1:6379', reason: 'connection refused' },
    },
  ]);
  assert.equal(
    renderText(r, { verbose: false, interactive: false }),
    [
      `db          restarted      ${down.reason}; script exited 0 in 18 ms; log ${log}`,
      `api-server  blocked        ${down.reason}; waiting for db (tcp 10.77.0.1:6379): connection refused`,
      'CRITICAL: 1 blocked, 1 restarted, 1 healthy; 3 services in 41 ms',
      '',
    ].join('\n'),
  );
});

test('gave up says when it tries again; starting says when it is judged again', () => {
  const r = report([
    { name: 'a', state: 'gave_up', reason: 'down', liveness: down, deps: [], until: '2026-11-26T18:04:10.000Z' },
    { name: 'b', state: 'starting', reason: 'down', liveness: down, deps: [], until: '2026-11-26T18:00:30.000Z' },
  ]);
  const text = renderText(r, { verbose: false, interactive: false });
  assert.match(text, /^a {2}GAVE UP {2,}down; restart limit reached, not restarted; next try in 4m 10s \(at 2026-11-26 18:04:10 UTC\)$/m);
  assert.match(text, /^b {2}starting +down; restarted moments ago, judged again after its start grace \(in 30s /m);
  assert.match(text, /^CRITICAL: 1 gave up, 1 starting; 2 services/m);
});

test('every restart outcome is described with its log', () => {
  const base = { ok: false, timedOut: false, durationMs: 1500, logPath: '/l' };
  assert.equal(describeRestart({ ...base, exitCode: 1 }), 'script exited 1 in 1.5 s; log /l');
  assert.equal(describeRestart({ ...base, timedOut: true, signal: 'SIGTERM' }), 'script still running after 1.5 s: killed its process group; log /l');
  assert.equal(describeRestart({ ...base, signal: 'SIGSEGV' }), 'script killed by SIGSEGV after 1.5 s; log /l');
  assert.equal(describeRestart({ ...base, error: 'ENOTDIR' }), 'could not run the script: ENOTDIR; log /l');
  assert.equal(describeRestart({ ...base, ok: true, detached: true, pid: 9 }), 'script started detached (pid 9); log /l');
});

test('names and reasons cannot write escape sequences to the terminal', () => {
  const evil = 'x\u001b[2J\r\u009b';
  const r = report([{ name: evil, state: 'unknown', reason: `cannot read ${evil}`, liveness: down, deps: [] }]);
  const text = renderText(r, { verbose: true, interactive: false });
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  assert.match(text, /x\\u001b\[2J\\r\\u009b/);
  const json = renderJson(r, '1.0.0');
  assert.equal(JSON.parse(json).services[0].name, evil, 'JSON keeps the name exact, escaped by JSON itself');
});

test('dry run and interruption are said in the summary; an interrupted pass exits 3', () => {
  assert.match(summary(report([healthy('a')], { dryRun: true })), /\(dry run: nothing was run\)$/);
  const cut = report([healthy('a')], { interrupted: 'SIGTERM' });
  assert.match(summary(cut), /^UNKNOWN: .*\(interrupted by SIGTERM: no new probe or restart was started\)$/);
  assert.equal(passExitCode(cut), 3);
  assert.equal(renderText(cut, { verbose: false, interactive: false }).length > 0, true, 'an interrupted pass is never silent');
});

test('formatSpan rounds up to whole seconds', () => {
  assert.deepEqual([0, 1, 999, 60_000, 250_000, 3_600_000, 7_500_000].map(formatSpan), ['0s', '1s', '1s', '1m', '4m 10s', '1h', '2h 5m']);
});

test('inside the boot grace: `waiting for boot: N s left`, with the dependency it waits for next, exit 1', () => {
  const at = Date.UTC(2026, 10, 26, 18, 0, 0);
  const until = new Date(at + 42_000).toISOString();
  const r = report([
    { name: 'db', state: 'booting', reason: 'pid 12 from /run/db.pid is not running', liveness: down, deps: [], until },
    {
      name: 'api',
      state: 'booting',
      reason: 'pid file /run/x.pid does not exist',
      liveness: down,
      deps: [],
      until,
      blockedBy: { name: 'db', target: 'service db', reason: 'connection refused' },
    },
    healthy('web'),
  ]);
  const text = renderText(r, { verbose: false, interactive: false });
  assert.match(text, /^db\s+boot grace\s+pid 12 from \/run\/db.pid is not running; waiting for boot: 42 s left$/m);
  assert.match(text, /^api\s+boot grace\s+.*; waiting for boot: 42 s left, then for db: connection refused$/m);
  assert.match(text, /^WARNING: 2 boot grace, 1 healthy; 3 services in 41 ms$/m);
  assert.equal(passExitCode(r), 1);
});
