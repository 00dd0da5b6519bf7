import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/parse.js';
import type { Config } from '../../src/config/types.js';
import { POLICY } from '../helpers/services.js';
import { fixture } from '../helpers/util.js';

const load = (name: string): { config?: Config; issues: unknown[] } => {
  const file = fixture('config', name);
  return parseConfig(readFileSync(file, 'utf8'));
};

const policy = POLICY;
const health = { failures: 3, restartOnDependencyRecovery: false, stopTimeoutMs: 10_000 };
const builtin = {
  probeTimeoutMs: 5000,
  restartTimeoutMs: 60_000,
  maxConcurrentProbes: 128,
  remindMs: 3_600_000,
  notifyTimeoutMs: 10_000,
  syslog: false,
  syslogSocket: '/dev/log',
  convergeMs: 0,
  bootGraceMs: 0,
  policy,
  health,
};

test("the seed's example loads unchanged: deps, internal flags and defaults applied", () => {
  assert.deepEqual(load('seed.yaml'), {
    config: {
      services: [
        {
          name: 'nginx',
          pname: 'nginx',
          script: 'sudo -u admin /home/admin/bin/nginx-proxy -s restart',
          deps: [],
          probeTimeoutMs: 5000,
          restartTimeoutMs: 60_000,
          policy,
          detach: false,
        },
        {
          name: 'web_service',
          pidFile: '/home/admin/web_server/conf/.web_server.pid',
          script: 'sudo -u admin /home/admin/web_server/bin/startup.sh',
          deps: [
            { name: 'nginx', probe: { kind: 'tcp', host: '127.0.0.1', port: 80 }, timeoutMs: 5000, internal: true, at: { line: 7, col: 11 } },
            {
              name: 'middleware',
              probe: { kind: 'http', url: 'http://middleware.host.com/check.htm' },
              timeoutMs: 5000,
              internal: false,
              at: { line: 10, col: 11 },
            },
          ],
          probeTimeoutMs: 5000,
          restartTimeoutMs: 60_000,
          policy,
          detach: false,
        },
      ],
      defaults: builtin,
    },
    issues: [],
  });
});

test('every key: defaults override the built-ins, services and deps override the defaults', () => {
  const { config, issues } = load('full.yaml');
  assert.deepEqual(issues, []);
  assert.deepEqual(config!.defaults, {
    probeTimeoutMs: 2000,
    restartTimeoutMs: 120_000,
    logDir: '/var/log/autoheal',
    maxConcurrentProbes: 16,
    remindMs: 1_800_000,
    notifyTimeoutMs: 10_000,
    syslog: false,
    syslogSocket: '/dev/log',
    metricsFile: '/var/lib/prometheus/node-exporter/autoheal.prom',
    convergeMs: 0,
    bootGraceMs: 0,
    policy,
    health,
  });
  const [db, api, worker] = config!.services;
  assert.deepEqual(db, {
    name: 'db',
    pidFile: '/run/db.pid',
    script: 'systemctl restart db',
    deps: [],
    probeTimeoutMs: 2000,
    restartTimeoutMs: 90_000,
    policy,
    detach: false,
  });
  assert.equal(api!.pname, 'api-server');
  assert.equal(api!.pidFile, '/run/api.pid');
  assert.equal(api!.probeTimeoutMs, 1500);
  assert.equal(api!.restartTimeoutMs, 120_000);
  assert.deepEqual(api!.deps, [
    { name: 'db', probe: { kind: 'service' }, timeoutMs: 1500, internal: true, at: { line: 21, col: 7 } },
    { name: 'db-port', probe: { kind: 'tcp', host: '127.0.0.1', port: 5432 }, timeoutMs: 500, internal: false, at: { line: 22, col: 7 } },
    { name: 'auth', probe: { kind: 'http', url: 'https://auth.example.com/health' }, timeoutMs: 1500, internal: false, at: { line: 25, col: 7 } },
    { name: 'cache', probe: { kind: 'tcp', host: '::1', port: 6379 }, timeoutMs: 1500, internal: false, at: { line: 27, col: 7 } },
  ]);
  assert.deepEqual(worker!.deps, [
    { name: 'api', probe: { kind: 'http', url: 'http://127.0.0.1:8080/ready' }, timeoutMs: 3_600_000, internal: true, at: { line: 35, col: 7 } },
  ]);
  assert.equal(worker!.probeTimeoutMs, 2000);
});

test('anchors, aliases and merge keys share settings; keys written in the mapping win over merged ones', () => {
  const { config, issues } = load('anchors.yaml');
  assert.deepEqual(issues, []);
  const [web1, web2, web3] = config!.services;
  // Written once under an anchor: every service's copy points at that one place.
  const db = { name: 'db', probe: { kind: 'tcp', host: '127.0.0.5', port: 5432 }, internal: false, at: { line: 7, col: 7 } };
  assert.deepEqual(web1, {
    name: 'web1',
    pname: 'web',
    script: '/usr/local/bin/restart-web',
    deps: [{ ...db, timeoutMs: 3000 }],
    probeTimeoutMs: 3000,
    restartTimeoutMs: 60_000,
    policy,
    detach: false,
  });
  assert.deepEqual(web2, {
    name: 'web2',
    pname: 'web',
    pidFile: '/run/web2.pid',
    script: '/usr/local/bin/restart-web',
    deps: [{ ...db, timeoutMs: 4000 }],
    probeTimeoutMs: 4000,
    restartTimeoutMs: 60_000,
    policy,
    detach: false,
  });
  assert.equal(web3!.pname, 'web3');
  assert.deepEqual(web3!.deps, [{ ...db, timeoutMs: 3000 }]);
  assert.notEqual(web1!.deps, web3!.deps, 'each service gets its own objects, even from one anchor');
});

test('earlier mappings of a merge list win over later ones, and merges nest', () => {
  const text = [
    'a: &a {pname: from-a, script: sa}',
    'b: &b {pname: from-b, script: sb, restart_timeout: 7}',
    'c: &c {<<: *b, probe_timeout: 9}',
    'd:',
    '  <<: [*a, *c]',
  ].join('\n');
  const { config, issues } = parseConfig(text);
  assert.deepEqual(issues, []);
  const d = config!.services[3]!;
  assert.deepEqual([d.pname, d.script, d.restartTimeoutMs, d.probeTimeoutMs], ['from-a', 'sa', 7000, 9000]);
});

test('small conveniences: a leading ---, `dep:` left empty, `defaults:` left empty, numeric and quoted names', () => {
  const text = [
    '---',
    'defaults:',
    '8080:',
    '  pname: web',
    '  script: s',
    '  dep:',
    '"my svc":',
    '  pname: x',
    '  script: s',
    '  dep: [{name: "8080"}]',
  ].join('\n');
  const { config, issues } = parseConfig(text);
  assert.deepEqual(issues, []);
  assert.deepEqual(config!.defaults, builtin);
  assert.deepEqual(
    config!.services.map((s) => [s.name, s.deps]),
    [
      ['8080', []],
      ['my svc', [{ name: '8080', probe: { kind: 'service' }, timeoutMs: 5000, internal: true, at: { line: 10, col: 9 } }]],
    ],
  );
});

test('a config of only defaults, or an empty mapping, has no services and no issues', () => {
  assert.deepEqual(parseConfig('{}'), { config: { services: [], defaults: builtin }, issues: [] });
  assert.deepEqual(parseConfig('defaults: {probe_timeout: 1}').config?.defaults.probeTimeoutMs, 1000);
});

test('an external dependency may be named like nothing else, and an internal one may carry its own probe', () => {
  const text = 'a: {pname: a, script: s}\nb: {pname: b, script: s, dep: [{name: a, port: 1}, {name: ext, host: "[::1]", port: 2}]}';
  const { config } = parseConfig(text);
  assert.deepEqual(config!.services[1]!.deps, [
    { name: 'a', probe: { kind: 'tcp', host: '127.0.0.1', port: 1 }, timeoutMs: 5000, internal: true, at: { line: 2, col: 32 } },
    { name: 'ext', probe: { kind: 'tcp', host: '::1', port: 2 }, timeoutMs: 5000, internal: false, at: { line: 2, col: 52 } },
  ]);
});
