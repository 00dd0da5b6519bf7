// The health keys: check (every probe kind), failures, restart_on_dependency_recovery, limits, stop settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/parse.js';
import { formatSize, parseSize } from '../../src/config/size.js';
import { fixture } from '../helpers/util.js';

const lines = (...l: string[]): string => l.join('\n') + '\n';
function issuesOf(text: string): string[] {
  const { config, issues } = parseConfig(text);
  if (issues.length > 0) assert.equal(config, undefined, 'no config when there are issues');
  return issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
}

test('every health key is read, with defaults applied; a service that asks for none has no health settings', () => {
  const { config, issues } = parseConfig(readFileSync(fixture('config', 'health.yaml'), 'utf8'));
  assert.deepEqual(issues, []);
  assert.deepEqual(config!.defaults.health, { failures: 2, restartOnDependencyRecovery: false, stopTimeoutMs: 20_000 });
  const [db, app, plain] = config!.services;
  assert.deepEqual(db!.health, {
    check: { probe: { kind: 'command', command: 'pg_isready -q' }, timeoutMs: 3000 },
    failures: 2,
    restartOnDependencyRecovery: false,
    stopTimeoutMs: 20_000,
  });
  assert.deepEqual(app!.health, {
    check: { probe: { kind: 'http', url: 'http://127.0.0.1:8080/health' }, timeoutMs: 4000 },
    failures: 3,
    restartOnDependencyRecovery: true,
    maxMemoryBytes: 2 * 2 ** 30,
    maxCpuPercent: 150,
    stopScript: '/opt/app/bin/stop',
    stopTimeoutMs: 5000,
  });
  assert.deepEqual(
    app!.deps.map((d) => d.probe),
    [
      { kind: 'service' },
      { kind: 'socket', path: '/run/postgresql/.s.PGSQL.5432' },
      { kind: 'http', url: 'https://auth.internal/health', caFile: '/etc/ssl/private-ca.pem' },
      { kind: 'http', url: 'https://legacy.internal/ping', tlsVerify: false },
    ],
  );
  // stop_script alone asks nothing of a running service.
  assert.equal(plain!.health, undefined);
});

test('restart_on_dependency_recovery in defaults gives every service health settings, and a service may turn it off', () => {
  const { config } = parseConfig(
    lines(
      'defaults:',
      '  restart_on_dependency_recovery: true',
      'a:',
      '  pname: a',
      '  script: s',
      'b:',
      '  pname: b',
      '  script: s',
      '  restart_on_dependency_recovery: false',
    ),
  );
  assert.equal(config!.services[0]!.health?.restartOnDependencyRecovery, true);
  assert.equal(config!.services[1]!.health, undefined);
});

test('probe rules: one kind only, host needs port, ca_file and tls_verify only with https, a check needs a probe', () => {
  const text = lines(
    'a:',
    '  pname: a',
    '  script: s',
    '  check:',
    '    timeout: 1s',
    '  dep:',
    '    - name: x',
    '      socket: /run/x.sock',
    '      command: "true"',
    '    - name: y',
    '      url: http://127.0.0.1/',
    '      ca_file: /etc/ca.pem',
    '    - name: z',
    '      port: 5',
    '      tls_verify: false',
    '    - name: w',
    '      url: https://w.internal/',
    '      ca_file: /etc/ca.pem',
    '      tls_verify: false',
    'b:',
    '  pname: b',
    '  script: s',
    '  check: {url: https://b.internal/, port: 80}',
    'c:',
    '  pname: c',
    '  script: s',
    '  check: pg_isready',
  );
  assert.deepEqual(issuesOf(text), [
    '5:5 a.check: expected one of host+port, url, socket or command, found none',
    '8:7 a.dep[0].socket: expected one of `url`, `host`+`port`, `socket` or `command`, found `socket` and `command`',
    '12:7 a.dep[1].ca_file: expected `ca_file` only with an https:// `url`, found an http:// one',
    '15:7 a.dep[2].tls_verify: expected `tls_verify` only with an https:// `url`, found no `url`',
    '19:7 a.dep[3].tls_verify: expected `ca_file` or `tls_verify: false`, found both (with no verification the CA file would be ignored)',
    '23:11 b.check.url: expected either `url` or `host`+`port`, found both',
    '27:10 c.check: expected a mapping (one of host+port, url, socket or command), found "pg_isready" (string)',
  ]);
});

test('sizes, percentages and relative paths are checked, and misspelt health keys get a did-you-mean', () => {
  const text = lines(
    'a:',
    '  pname: a',
    '  script: s',
    '  max_memory: 512MB',
    '  max_cpu: 0',
    '  stop_timout: 5s',
    '  check:',
    '    socket: run/a.sock',
    '    comand: x',
  );
  assert.deepEqual(issuesOf(text), [
    '4:15 a.max_memory: expected a size with a binary unit, like 512MiB or 2GiB (KiB, MiB, GiB, TiB), found "512MB" (string)',
    '5:12 a.max_cpu: expected a percentage of one CPU core, a number > 0 (200 is two cores), found 0 (integer)',
    '6:3 a.stop_timout: unknown key `stop_timout`: did you mean `stop_timeout`?',
    '8:13 a.check.socket: expected an absolute path, found "run/a.sock" (string)',
    '9:5 a.check.comand: unknown key `comand`: did you mean `command`?',
  ]);
});

test('parseSize reads binary units only; formatSize shows the largest unit', () => {
  assert.equal(parseSize('512MiB'), 512 * 2 ** 20);
  assert.equal(parseSize('1.5 GiB'), 1.5 * 2 ** 30);
  assert.equal(parseSize('64KiB'), 65536);
  for (const bad of ['512MB', '512', 512, '0GiB', 'GiB', '1e3MiB', '-1MiB']) assert.equal(parseSize(bad), undefined, String(bad));
  assert.equal(formatSize(2 * 2 ** 30), '2 GiB');
  assert.equal(formatSize(2.34 * 2 ** 30), '2.3 GiB');
  assert.equal(formatSize(512 * 2 ** 20), '512 MiB');
  assert.equal(formatSize(100), '100 B');
});
