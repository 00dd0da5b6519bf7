// The built bundle writes its Prometheus textfile and prints Nagios plugin output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture, configYaml } from '../helpers/config-fixture.js';
import { missingTool, runTool } from '../helpers/tools.js';

test('--metrics-file: written after every pass, by defaults.metrics_file too; a dry run writes nothing', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const refused = await freePort();
  const prom = join(dir, 'autoheal.prom');
  fx.write({ api: { pid_file: `${dir}/api.pid`, dep: [{ name: 'db', port: refused }], script: `touch ${dir}/ran` } });
  const state = fx.args();
  const dry = await runCli([...state, '--dry-run', '--metrics-file', prom]);
  assert.equal(dry.code, 2);
  assert.equal(existsSync(prom), false, 'a dry run writes nothing');

  const before = Date.now();
  const run = await runCli([...state, '--metrics-file', prom]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  const text = readFileSync(prom, 'utf8');
  assert.match(text, /^autoheal_service_state\{service="api",state="blocked"\} 1$/m);
  assert.match(text, new RegExp(`^autoheal_service_blocked\\{service="api",dependency="db",target="tcp 127\\.0\\.0\\.1:${refused}"\\} 1$`, 'm'));
  assert.match(text, /^autoheal_pass_exit_code 2$/m);
  const at = Number(/^autoheal_last_pass_timestamp_seconds (\S+)$/m.exec(text)![1]) * 1000;
  assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `timestamp ${at}`);
  assert.equal(statSync(prom).mode & 0o777, 0o644);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp file left',
  );

  const missing = missingTool('promtool', 'prometheus');
  if (missing) t.diagnostic(`promtool check skipped: ${missing}`);
  else {
    const check = await runTool('promtool', ['check', 'metrics'], text);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  }

  const viaDefaults = fx.writeText(
    configYaml(
      { api: { pid_file: `${dir}/api.pid`, script: '/bin/false', dep: [{ name: 'db', port: refused }] } },
      { metrics_file: join(dir, 'from-config.prom') },
    ),
    'conf2.yaml',
  );
  assert.equal((await runCli(['--config', viaDefaults, '--state-dir', join(dir, 'state')])).code, 2);
  assert.match(readFileSync(join(dir, 'from-config.prom'), 'utf8'), /^autoheal_pass_exit_code 2$/m);
});

test('a config that cannot be read still writes exit code 3 to --metrics-file; an unwritable one is a warning', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const prom = join(dir, 'autoheal.prom');
  const bad = fx.write({ api: { pid_fle: '/run/x.pid' } });
  const run = await runCli(['--config', bad, '--state-dir', join(dir, 'state'), '--metrics-file', prom]);
  assert.equal(run.code, 3);
  const text = readFileSync(prom, 'utf8');
  assert.match(text, /^autoheal_pass_exit_code 3$/m);
  assert.doesNotMatch(text, /autoheal_service_/);

  const good = fx.writeText(configYaml({ api: { pid_file: `${dir}/api.pid`, script: '/bin/true', start_grace: '1h' } }), 'good.yaml');
  const nowhere = await runCli(['--config', good, '--state-dir', join(dir, 'state'), '--metrics-file', join(dir, 'missing', 'a.prom')]);
  assert.equal(nowhere.code, 1, 'the restart still happened and is reported');
  assert.match(nowhere.stdout, /^warning: cannot write metrics file .*missing\/a\.prom: ENOENT/m);
});

test('--format nagios: the plugin status line with perfdata, the exit code, and errors on stdout', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const refused = await freePort();
  fx.write({ web: { pid_file: `${dir}/web.pid`, dep: [{ name: 'api', port: refused }], script: `touch ${dir}/ran` } });
  const run = await runCli(fx.args('--format', 'nagios'));
  assert.equal(run.code, 2);
  const first = run.stdout.split('\n')[0]!;
  assert.match(first, /^AUTOHEAL CRITICAL - web blocked by api \(connection refused\) \| healthy=0;;; .*blocked=1;;; .*duration=\d+\.\d{3}s;;;$/);
  assert.ok(first.split(' | ')[0]!.length < 80);
  assert.match(run.stdout, new RegExp(`^web blocked: .*waiting for api \\(tcp 127\\.0\\.0\\.1:${refused}\\): connection refused$`, 'm'));

  const bad = await runCli(['--config', join(dir, 'none.yaml'), '--format', 'nagios']);
  assert.equal(bad.code, 3);
  assert.match(bad.stdout, /^AUTOHEAL UNKNOWN - /);
});
