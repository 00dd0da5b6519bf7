import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeLabel, publicTarget, renderMetrics } from '../../src/report/metrics.js';
import { SERVICE_STATES, type ServiceReport } from '../../src/report/model.js';
import { missingTool, runTool } from '../helpers/tools.js';
import { probeResult } from '../helpers/services.js';

const up = probeResult('up', 'running');
const down = probeResult('down', 'pid file /run/x.pid does not exist');
const services: ServiceReport[] = [
  { name: 'db', state: 'restarted', reason: down.reason, liveness: down, deps: [] },
  {
    name: 'web "front"\\1',
    state: 'blocked',
    reason: down.reason,
    liveness: down,
    deps: [
      { name: 'db', target: 'service db' },
      { name: 'cache', target: 'tcp 10.77.0.1:6379', result: { status: 'down', reason: 'connection refused', ms: 2 } },
    ],
    blockedBy: { name: 'cache', target: 'tcp 10.77.0.1:6379', reason: 'connection refused' },
  },
  { name: 'api', state: 'healthy', reason: 'running', liveness: up, deps: [] },
];
const input = { exitCode: 2 as const, at: 1_764_000_000_250, durationMs: 210, services, totals: new Map([['db', { restarts: 4, failures: 1 }]]) };

test('per service: up, one state series per state (1 for the current one), restarts, the dependency that blocks', () => {
  const text = renderMetrics(input);
  assert.match(text, /^autoheal_service_up\{service="db"\} 0$/m);
  assert.match(text, /^autoheal_service_up\{service="api"\} 1$/m);
  const dbStates = text.split('\n').filter((l) => l.startsWith('autoheal_service_state{service="db",'));
  assert.deepEqual(
    dbStates.map((l) => l.match(/state="(\w+)"/)![1]),
    [...SERVICE_STATES],
  );
  assert.deepEqual(
    dbStates.filter((l) => l.endsWith(' 1')),
    ['autoheal_service_state{service="db",state="restarted"} 1'],
  );
  assert.match(text, /^autoheal_restarts_total\{service="db"\} 4$/m);
  assert.match(text, /^autoheal_restart_failures_total\{service="db"\} 1$/m);
  assert.match(text, /^autoheal_restarts_total\{service="api"\} 0$/m);
  assert.match(text, /^autoheal_service_blocked\{service="web \\"front\\"\\\\1",dependency="cache",target="tcp 10\.77\.0\.1:6379"\} 1$/m);
  assert.match(text, /^autoheal_service_blocked\{service="web \\"front\\"\\\\1",dependency="db",target="service db"\} 0$/m);
  assert.match(text, /^autoheal_pass_duration_seconds 0\.210$/m);
  assert.match(text, /^autoheal_last_pass_timestamp_seconds 1764000000\.250$/m);
  assert.match(text, /^autoheal_pass_exit_code 2$/m);
  assert.ok(text.endsWith('\n'));
});

test('a pass that could not judge writes only the pass metrics', () => {
  const text = renderMetrics({ exitCode: 3, at: 1_764_000_000_000, durationMs: 5 });
  assert.doesNotMatch(text, /autoheal_service_/);
  assert.match(text, /^autoheal_pass_exit_code 3$/m);
});

test('the world-readable textfile never shows the secrets of a probe: URL credentials and query, command arguments', () => {
  const secret: ServiceReport = {
    name: 'app',
    state: 'blocked',
    reason: down.reason,
    liveness: down,
    deps: [
      { name: 'auth', target: 'https://monitor:hunter2@auth.example.com:8443/health?token=s3cret#x' },
      { name: 'redis', target: 'command REDISCLI_AUTH=hunter2 redis-cli -a s3cret ping' },
      { name: 'pg', target: 'socket /run/postgresql/.s.PGSQL.5432' },
    ],
    blockedBy: { name: 'auth', target: 'https://monitor:hunter2@auth.example.com:8443/health?token=s3cret#x', reason: 'HTTP 503' },
  };
  const text = renderMetrics({ exitCode: 2, at: 1_764_000_000_000, durationMs: 5, services: [secret] });
  assert.doesNotMatch(text, /hunter2|s3cret|monitor/);
  assert.match(text, /^autoheal_service_blocked\{service="app",dependency="auth",target="https:\/\/auth\.example\.com:8443\/health"\} 1$/m);
  assert.match(text, /^autoheal_service_blocked\{service="app",dependency="redis",target="command redis-cli"\} 0$/m);
  assert.match(text, /^autoheal_service_blocked\{service="app",dependency="pg",target="socket \/run\/postgresql\/\.s\.PGSQL\.5432"\} 0$/m);
  assert.deepEqual(['tcp 10.0.0.1:5432', 'service db', 'http://h/x', 'command', 'command A=1', 'not a url'].map(publicTarget), [
    'tcp 10.0.0.1:5432',
    'service db',
    'http://h/x',
    'command',
    'command',
    'url',
  ]);
});

test('label values escape backslash, double quote and line feed', () => {
  assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

test('promtool check metrics accepts the textfile', async (t) => {
  const missing = missingTool('promtool', 'prometheus');
  if (missing) return t.skip(missing);
  const run = await runTool('promtool', ['check', 'metrics'], renderMetrics(input));
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.stdout + run.stderr, '');
});
