// The built bundle end to end: real configs, real services, real exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { freePort, hangingServer, killServices, runCli, startCommand, waitForPid, writeConfig } from '../helpers/cli.js';

const service = fixture('bin', 'fake-service.mjs');

/** Starts fake-service ourselves (an already healthy service) and waits until its port answers. */
async function startHealthy(dir: string, name: string, port: number): Promise<number> {
  const child = startChild(process.execPath, [service, '--name', name, '--pid-file', join(dir, `${name}.pid`), '--port', String(port), '--port-file', join(dir, `${name}.port`)]);
  await waitFor(() => existsSync(join(dir, `${name}.port`)), `${name} to listen`);
  return child.pid!;
}

test('all healthy: exit 0 and not a byte of output (cron mails any output); --json adds what each process uses', async () => {
  const { dir, cleanup } = tempDir();
  const port = await freePort();
  const pid = await startHealthy(dir, 'db', port);
  try {
    const config = writeConfig(dir, `db:\n  pid_file: ${dir}/db.pid\n  script: touch ${dir}/ran\nweb:\n  pname: db\n  dep:\n    - name: db\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, '');
    assert.equal(run.code, 0);
    assert.equal(existsSync(join(dir, 'ran')), false);
    const json = JSON.parse((await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--json'])).stdout);
    for (const s of json.services) {
      assert.equal(s.liveness.pid, pid);
      assert.ok(s.usage.rssBytes > 1_000_000 && s.usage.uptimeMs >= 0 && s.usage.cpuTimeMs >= 0, JSON.stringify(s.usage));
    }
  } finally {
    await killPid(pid);
    cleanup();
  }
});

test('dead with its dependency ready: restarted, exit 1, and the daemon outlives the pass', async () => {
  const { dir, cleanup } = tempDir();
  const port = await freePort();
  const db = await startHealthy(dir, 'db', port);
  try {
    const config = writeConfig(dir, `db:\n  pid_file: ${dir}/db.pid\n  script: touch ${dir}/db-ran\napi:\n  pid_file: ${dir}/api.pid\n  dep:\n    - name: db\n      host: 127.0.0.1\n      port: ${port}\n  script: ${startCommand(dir, 'api')}\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^api\s+restarted\s+.*script exited 0/m);
    assert.match(run.stdout, /^WARNING: 1 restarted, 1 healthy; 2 services in /m);
    const api = await waitForPid(dir, 'api');
    assert.ok(isAlive(api), 'the daemon is alive after autoheal-once exited');
    assert.equal(existsSync(join(dir, 'db-ran')), false, 'the healthy service was not touched');
    assert.ok(existsSync(join(dir, 'state', 'logs', 'api.log')), 'the script output went to its log');
  } finally {
    await killPid(db);
    await killServices(dir, ['api']);
    cleanup();
  }
});

test('dead with a refused or a hanging dependency: blocked, nothing run, exit 2', async () => {
  const { dir, cleanup } = tempDir();
  const refused = await freePort();
  const hung = await hangingServer();
  try {
    const config = writeConfig(dir, [
      `a:\n  pid_file: ${dir}/a.pid\n  dep:\n    - name: db\n      host: 127.0.0.1\n      port: ${refused}\n  script: touch ${dir}/ran-a`,
      `b:\n  pid_file: ${dir}/b.pid\n  dep:\n    - name: mw\n      url: http://127.0.0.1:${hung.port}/check\n      timeout: 1s\n  script: touch ${dir}/ran-b`,
    ].join('\n') + '\n');
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /^a\s+blocked\s+.*waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/m);
    assert.match(run.stdout, /^b\s+blocked\s+.*waiting for mw \(http:\/\/127\.0\.0\.1:\d+\/check\): /m);
    assert.match(run.stdout, /^CRITICAL: 2 blocked; 2 services/m);
    assert.equal(existsSync(join(dir, 'ran-a')) || existsSync(join(dir, 'ran-b')), false, 'no script ran');
    assert.ok(run.ms < 10_000, `a hung dependency costs one timeout, took ${run.ms} ms`);
  } finally {
    await hung.close();
    cleanup();
  }
});

test('a script that exits 1 and one that hangs: failed, exit 2, no stray processes left', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, [
      `fails:\n  pid_file: ${dir}/fails.pid\n  script: echo broken >&2; exit 1`,
      `hangs:\n  pid_file: ${dir}/hangs.pid\n  restart_timeout: 1s\n  script: sleep 1000 & echo $! > ${dir}/child.pid; sleep 1000`,
    ].join('\n') + '\n');
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /^fails\s+FAILED\s+.*script exited 1/m);
    assert.match(run.stdout, /^hangs\s+FAILED\s+.*killed its process group/m);
    const child = Number((await import('node:fs')).readFileSync(join(dir, 'child.pid'), 'utf8'));
    await waitFor(() => !isAlive(child), 'the hung script\'s background child to be gone', 5000);
    assert.match((await import('node:fs')).readFileSync(join(dir, 'state', 'logs', 'fails.log'), 'utf8'), /broken/);
  } finally {
    cleanup();
  }
});

test('a bad config: exit 3, file:line:col on stderr, nothing probed or run', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_fle: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 3);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`${config}:2:3: web.pid_fle: .*did you mean .pid_file.`));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(dir, 'ran')), false);
  } finally {
    cleanup();
  }
});

test('--dry-run probes and tells, but runs nothing', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--dry-run']);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^web\s+would restart\s+/m);
    assert.match(run.stdout, /dry run: nothing was run/);
    assert.equal(existsSync(join(dir, 'ran')), false);
    assert.equal(existsSync(join(dir, 'state')), false, 'a dry run writes nothing');
  } finally {
    cleanup();
  }
});

test('--json: one document with each service, its probes, its action and the exit code', async () => {
  const { dir, cleanup } = tempDir();
  const refused = await freePort();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  dep:\n    - name: db\n      port: ${refused}\n  script: exit 0\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--json']);
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
  } finally {
    cleanup();
  }
});

test('a dead chain heals in dependency order, one level per pass', async () => {
  const { dir, cleanup } = tempDir();
  const dbPort = await freePort();
  try {
    const config = writeConfig(dir, [
      `web:\n  pid_file: ${dir}/web.pid\n  dep:\n    - name: api\n  script: ${startCommand(dir, 'web')}`,
      `api:\n  pid_file: ${dir}/api.pid\n  dep:\n    - name: db\n      host: 127.0.0.1\n      port: ${dbPort}\n  script: ${startCommand(dir, 'api')}`,
      `db:\n  pid_file: ${dir}/db.pid\n  script: ${startCommand(dir, 'db', `--port ${dbPort}`)}`,
    ].join('\n') + '\n');
    const args = ['--config', config, '--state-dir', join(dir, 'state')];
    const first = await runCli(args);
    assert.equal(first.code, 2);
    assert.match(first.stdout, /^db\s+restarted/m);
    assert.match(first.stdout, /^api\s+blocked\s+.*waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused/m);
    assert.match(first.stdout, /^web\s+blocked\s+.*waiting for api \(service api\): it is blocked/m);
    await waitForPid(dir, 'db');
    await waitFor(async () => (await runCli([...args, '--dry-run', '--json'])).stdout.includes('"would_restart"'), 'db to listen');
    const second = await runCli(args);
    assert.equal(second.code, 2, 'the exit code tells the state every pass');
    assert.match(second.stdout, /^api\s+restarted/m);
    assert.doesNotMatch(second.stdout, /^web/m, 'still blocked by api: not news under cron');
    await waitForPid(dir, 'api');
    const third = await runCli(args);
    assert.equal(third.code, 1);
    assert.match(third.stdout, /^web\s+restarted/m);
    await waitForPid(dir, 'web');
    const fourth = await runCli(args);
    assert.deepEqual([fourth.code, fourth.stdout], [0, '']);
  } finally {
    await killServices(dir, ['web', 'api', 'db']);
    cleanup();
  }
});

test('validate, --help, --version and bad arguments', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pname: web\n  script: exit 0\n`);
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
    const missing = await runCli(['--config', join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 3);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
  } finally {
    cleanup();
  }
});

test('a pid file that is a FIFO nobody writes: unknown, nothing run, and the pass does not hang', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir, 'stuck.pid')]);
    const config = writeConfig(dir, `stuck:\n  pid_file: ${dir}/stuck.pid\n  probe_timeout: 300ms\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')], process.env, 15_000);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /^stuck\s+unknown\s+pid file .* is not a regular file/m);
    assert.match(run.stdout, /^UNKNOWN: 1 unknown/m);
    assert.equal(existsSync(join(dir, 'ran')), false, 'never restart on unknown');
  } finally {
    cleanup();
  }
});
