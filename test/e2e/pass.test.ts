// The built bundle end to end: real configs, real services, real exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, startChild, waitFor } from '../helpers/util.js';
import { freePort, hangingServer, killServices, runCli, startCommand, waitForPid } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

const service = fixture('bin', 'fake-service.mjs');

/** Starts fake-service ourselves (an already healthy service) and waits until its port answers. */
async function startHealthy(dir: string, name: string, port: number): Promise<number> {
  const child = startChild(process.execPath, [
    service,
    '--name',
    name,
    '--pid-file',
    join(dir, `${name}.pid`),
    '--port',
    String(port),
    '--port-file',
    join(dir, `${name}.port`),
  ]);
  await waitFor(() => existsSync(join(dir, `${name}.port`)), `${name} to listen`);
  return child.pid!;
}

test('all healthy: exit 0 and not a byte of output (cron mails any output); --json adds what each process uses', async (t) => {
  const fx = configFixture(t);
  // Looked up by name: a name no other test's process carries (test files run in parallel), within comm's 15 bytes.
  const name = `healthy${process.pid}`;
  const pid = await startHealthy(fx.dir, name, await freePort());
  fx.defer(() => killPid(pid));
  fx.write({
    db: { pid_file: fx.path(`${name}.pid`), script: `touch ${fx.path('ran')}` },
    web: { pname: name, dep: [{ name: 'db' }], script: `touch ${fx.path('ran')}` },
  });
  const run = await runCli(fx.args());
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, '');
  assert.equal(run.code, 0);
  assert.equal(existsSync(fx.path('ran')), false);
  const json = JSON.parse((await runCli(fx.args('--json'))).stdout);
  for (const s of json.services) {
    assert.equal(s.liveness.pid, pid);
    assert.ok(s.usage.rssBytes > 1_000_000 && s.usage.uptimeMs >= 0 && s.usage.cpuTimeMs >= 0, JSON.stringify(s.usage));
  }
});

test('dead with its dependency ready: restarted, exit 1, and the daemon outlives the pass', async (t) => {
  const fx = configFixture(t);
  const port = await freePort();
  const db = await startHealthy(fx.dir, 'db', port);
  fx.defer(() => killPid(db));
  fx.defer(() => killServices(fx.dir, ['api']));
  fx.write({
    db: { pid_file: fx.path('db.pid'), script: `touch ${fx.path('db-ran')}` },
    api: { pid_file: fx.path('api.pid'), dep: [{ name: 'db', host: '127.0.0.1', port }], script: startCommand(fx.dir, 'api') },
  });
  const run = await runCli(fx.args());
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^api\s+restarted\s+.*script exited 0/m);
  assert.match(run.stdout, /^WARNING: 1 restarted, 1 healthy; 2 services in /m);
  const api = await waitForPid(fx.dir, 'api');
  assert.ok(isAlive(api), 'the daemon is alive after autoheal-once exited');
  assert.equal(existsSync(fx.path('db-ran')), false, 'the healthy service was not touched');
  assert.ok(existsSync(fx.path('state', 'logs', 'api.log')), 'the script output went to its log');
});

test('dead with a refused or a hanging dependency: blocked, nothing run, exit 2', async (t) => {
  const fx = configFixture(t);
  const refused = await freePort();
  const hung = await hangingServer();
  fx.defer(hung.close);
  fx.write({
    a: { pid_file: fx.path('a.pid'), dep: [{ name: 'db', host: '127.0.0.1', port: refused }], script: `touch ${fx.path('ran-a')}` },
    b: {
      pid_file: fx.path('b.pid'),
      dep: [{ name: 'mw', url: `http://127.0.0.1:${hung.port}/check`, timeout: '1s' }],
      script: `touch ${fx.path('ran-b')}`,
    },
  });
  const run = await runCli(fx.args());
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^a\s+blocked\s+.*waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/m);
  assert.match(run.stdout, /^b\s+blocked\s+.*waiting for mw \(http:\/\/127\.0\.0\.1:\d+\/check\): /m);
  assert.match(run.stdout, /^CRITICAL: 2 blocked; 2 services/m);
  assert.equal(existsSync(fx.path('ran-a')) || existsSync(fx.path('ran-b')), false, 'no script ran');
  // A hung dependency costs its 1 s timeout, not a hang: about 1.1 s on an idle machine.
  assert.ok(run.ms >= 1000 && run.ms < 20_000, `a hung dependency costs one timeout, took ${run.ms} ms`);
});

test('a script that exits 1 and one that hangs: failed, exit 2, no stray processes left', async (t) => {
  const fx = configFixture(t);
  fx.write({
    fails: { pid_file: fx.path('fails.pid'), script: 'echo broken >&2; exit 1' },
    hangs: { pid_file: fx.path('hangs.pid'), restart_timeout: '1s', script: `sleep 1000 & echo $! > ${fx.path('child.pid')}; sleep 1000` },
  });
  const run = await runCli(fx.args());
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^fails\s+FAILED\s+.*script exited 1/m);
  assert.match(run.stdout, /^hangs\s+FAILED\s+.*killed its process group/m);
  const child = Number(readFileSync(fx.path('child.pid'), 'utf8'));
  await waitFor(() => !isAlive(child), "the hung script's background child to be gone");
  assert.match(readFileSync(fx.path('state', 'logs', 'fails.log'), 'utf8'), /broken/);
});

test('a bad config: exit 3, file:line:col on stderr, nothing probed or run', async (t) => {
  const fx = configFixture(t);
  const config = fx.write({ web: { pid_fle: fx.path('web.pid'), script: `touch ${fx.path('ran')}` } });
  const run = await runCli(fx.args());
  assert.equal(run.code, 3);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`${config}:2:3: web.pid_fle: .*did you mean .pid_file.`));
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(fx.path('ran')), false);
});

test('--dry-run probes and tells, but runs nothing', async (t) => {
  const fx = configFixture(t);
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `touch ${fx.path('ran')}` } });
  const run = await runCli(fx.args('--dry-run'));
  assert.equal(run.code, 2);
  assert.match(run.stdout, /^web\s+would restart\s+/m);
  assert.match(run.stdout, /dry run: nothing was run/);
  assert.equal(existsSync(fx.path('ran')), false);
  assert.equal(existsSync(fx.state), false, 'a dry run writes nothing');
});

test('--json: one document with each service, its probes, its action and the exit code', async (t) => {
  const fx = configFixture(t);
  const refused = await freePort();
  fx.write({ web: { pid_file: fx.path('web.pid'), dep: [{ name: 'db', port: refused }], script: 'exit 0' } });
  const run = await runCli(fx.args('--json'));
  assert.equal(run.code, 2);
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.status, 'CRITICAL');
  assert.equal(doc.exitCode, 2);
  const [web] = doc.services;
  assert.equal(web.name, 'web');
  assert.equal(web.state, 'blocked');
  assert.equal(web.liveness.status, 'down');
  assert.equal(web.deps[0].target, `tcp 127.0.0.1:${refused}`);
  assert.equal(web.deps[0].result.status, 'down');
  assert.equal(typeof web.deps[0].result.ms, 'number');
  assert.deepEqual(web.blockedBy.name, 'db');
});

test('a dead chain heals in dependency order, one level per pass', async (t) => {
  const fx = configFixture(t);
  const dbPort = await freePort();
  fx.defer(() => killServices(fx.dir, ['web', 'api', 'db']));
  fx.write({
    web: { pid_file: fx.path('web.pid'), dep: [{ name: 'api' }], script: startCommand(fx.dir, 'web') },
    api: { pid_file: fx.path('api.pid'), dep: [{ name: 'db', host: '127.0.0.1', port: dbPort }], script: startCommand(fx.dir, 'api') },
    db: { pid_file: fx.path('db.pid'), script: startCommand(fx.dir, 'db', `--port ${dbPort}`) },
  });
  const first = await runCli(fx.args());
  assert.equal(first.code, 2);
  assert.match(first.stdout, /^db\s+restarted/m);
  assert.match(first.stdout, /^api\s+blocked\s+.*waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/m);
  assert.match(first.stdout, /^web\s+blocked\s+.*waiting for api \(service api\): it is blocked/m);
  await waitForPid(fx.dir, 'db');
  await waitFor(async () => (await runCli(fx.args('--dry-run', '--json'))).stdout.includes('"would_restart"'), 'db to listen', 30_000);
  const second = await runCli(fx.args());
  assert.equal(second.code, 2, 'the exit code tells the state every pass');
  assert.match(second.stdout, /^api\s+restarted/m);
  assert.doesNotMatch(second.stdout, /^web/m, 'still blocked by api: not news under cron');
  await waitForPid(fx.dir, 'api');
  const third = await runCli(fx.args());
  assert.equal(third.code, 1);
  assert.match(third.stdout, /^web\s+restarted/m);
  await waitForPid(fx.dir, 'web');
  const fourth = await runCli(fx.args());
  assert.deepEqual([fourth.code, fourth.stdout], [0, '']);
});

test('validate, --help, --version and bad arguments', async (t) => {
  const fx = configFixture(t);
  const config = fx.write({ web: { pname: 'web', script: 'exit 0' } });
  const ok = await runCli(['validate', '--config', config]);
  assert.deepEqual([ok.code, ok.stdout], [0, `${config}: OK, 1 service\n`]);
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: autoheal-once/);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const bad = await runCli(['--frobnicate']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /unknown option "--frobnicate"/);
  assert.match(bad.stderr, /^Usage: /m);
  const missing = await runCli(['--config', fx.path('nope.yaml')]);
  assert.equal(missing.code, 3);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
});

test('validate locates a warning as it locates errors: file:line:col, then the key path; --json too', async (t) => {
  const fx = configFixture(t);
  // Exact text: the warning names line 8, column 7.
  const config = fx.writeText(
    ['db:', '  pname: db', '  script: start db', 'api:', '  pname: api', '  script: start api', '  dep:', '    - name: db', ''].join('\n'),
    'weak.yaml',
  );
  const text = await runCli(['validate', '--config', config]);
  assert.equal(text.code, 0, text.stderr);
  const [warning, ok] = text.stdout.trimEnd().split('\n');
  const expected = `${config}:8:7: warning: api.dep[0]: \`db\` is named only, and db has no check: `;
  assert.equal(warning?.slice(0, expected.length), expected);
  assert.equal(ok, `${config}: OK, 2 services`);
  const json = await runCli(['validate', '--json', '--config', config]);
  assert.deepEqual(JSON.parse(json.stdout).warnings, [warning]);
});

test('a pid file that is a FIFO nobody writes: unknown, nothing run, and the pass does not hang', async (t) => {
  const fx = configFixture(t);
  execFileSync('mkfifo', [fx.path('stuck.pid')]);
  fx.write({ stuck: { pid_file: fx.path('stuck.pid'), probe_timeout: '300ms', script: `touch ${fx.path('ran')}` } });
  const run = await runCli(fx.args(), process.env, 30_000);
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /^stuck\s+unknown\s+pid file .* is not a regular file/m);
  assert.match(run.stdout, /^UNKNOWN: 1 unknown/m);
  assert.equal(existsSync(fx.path('ran')), false, 'never restart on unknown');
});
