// Alive but broken, end to end with the built bundle: an app that started before its database answers 503 for
// good; healed by its check after exactly `failures` passes, or by restart_on_dependency_recovery; never
// restarted while its database is down; stopped by SIGTERM, SIGKILL at stop_timeout, or its stop_script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, startChild, tempDir, waitFor } from '../helpers/util.js';
import { freePort, runCli, writeConfig } from '../helpers/cli.js';

const brokenApp = fixture('bin', 'broken-app.mjs');
const fakeService = fixture('bin', 'fake-service.mjs');
// Process names no other test looks up by pname (test files run in parallel).
const tag = Math.random().toString(36).slice(2, 8);
const APP_NAME = `hApp${tag}`;
const DB_NAME = `hDb${tag}`;

/** The command line of the broken app, listening on `port`, its database on `dbPort`. */
const appCommand = (dir: string, port: number, dbPort: number): string =>
  `${process.execPath} ${brokenApp} --name ${APP_NAME} --db-port ${dbPort} --port ${port} --pid-file ${join(dir, 'app.pid')} --port-file ${join(dir, 'app.port')}`;

const readPid = (dir: string, name: string): number => {
  try {
    return Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
  } catch {
    return 0;
  }
};

/** Every pid this test started or saw, killed at the end. */
function tracker(dir: string) {
  const pids = new Set<number>();
  return {
    add: (pid: number) => pids.add(pid),
    async stopAll() {
      for (const name of ['app', 'db']) if (readPid(dir, name)) pids.add(readPid(dir, name));
      for (const pid of pids) await killPid(pid);
    },
  };
}

/** Starts the app ourselves (as after a power cut) and waits until it listens; returns its pid. */
async function startApp(dir: string, port: number, dbPort: number): Promise<number> {
  const [node, ...args] = appCommand(dir, port, dbPort).split(' ');
  const child = startChild(node!, args);
  await waitFor(() => existsSync(join(dir, 'app.port')) && readPid(dir, 'app') === child.pid, 'the app to listen');
  return child.pid!;
}

async function startDb(dir: string, port: number): Promise<number> {
  const child = startChild(process.execPath, [
    fakeService,
    '--name',
    DB_NAME,
    '--pid-file',
    join(dir, 'db.pid'),
    '--port',
    String(port),
    '--port-file',
    join(dir, 'db.port'),
  ]);
  await waitFor(() => existsSync(join(dir, 'db.port')), 'the database to listen');
  return child.pid!;
}

/** The restart script: start a new app in the background once the old port is free. */
const startScript = (dir: string, port: number, dbPort: number): string => `rm -f ${join(dir, 'app.port')}; ${appCommand(dir, port, dbPort)} &`;

const auditEvents = (dir: string): { event: string; signal?: string; method?: string; pid?: number }[] =>
  readFileSync(join(dir, 'state', 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

test('check: an app broken since before its database is restarted after exactly `failures` passes, then healthy', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const [port, dbPort] = [await freePort(), await freePort()];
  const first = await startApp(dir, port, dbPort);
  pids.add(first);
  pids.add(await startDb(dir, dbPort));
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: ${startScript(dir, port, dbPort)}
  dep:
    - name: db
      port: ${dbPort}
  check:
    url: http://127.0.0.1:${port}/health
  failures: 2
`,
  );
  const pass = () => runCli(['--config', config, '--state-dir', join(dir, 'state')]);
  const one = await pass();
  assert.equal(one.code, 1, one.stdout + one.stderr);
  assert.match(one.stdout, /^app\s+checking\s+check failed 1 of 2: HTTP 503; restarted at 2 in a row$/m);
  assert.equal(readPid(dir, 'app'), first, 'not restarted after one failure');
  const two = await pass();
  assert.equal(two.code, 1, two.stdout + two.stderr);
  assert.match(two.stdout, /^app\s+restarted\s+check failed 2 of 2: HTTP 503; stopped \(SIGTERM\) in .*; script exited 0/m);
  await waitFor(() => !isAlive(first), 'the broken app to be gone');
  const second = await waitFor(
    () => (readPid(dir, 'app') !== first && existsSync(join(dir, 'app.port')) ? readPid(dir, 'app') : 0),
    'the new app to listen',
  );
  pids.add(second);
  const three = await pass();
  assert.equal(three.code, 0, three.stdout + three.stderr);
  assert.deepEqual(
    auditEvents(dir).map((e) => [e.event, e.method, e.signal, e.pid]),
    [
      ['stop_started', 'signal', 'SIGTERM', first],
      ['restart_started', undefined, undefined, undefined],
      ['stop_finished', 'signal', 'SIGTERM', first],
      ['restart_finished', undefined, undefined, undefined],
    ],
  );
});

test('a check failing while the database is down blames the database: blocked, exit 2, never restarted', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const [port, dbPort] = [await freePort(), await freePort()];
  const app = await startApp(dir, port, dbPort);
  pids.add(app);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: touch ${dir}/restarted
  dep: [{name: db, port: ${dbPort}}]
  check: {url: "http://127.0.0.1:${port}/health"}
  failures: 1
`,
  );
  for (let i = 0; i < 3; i++) {
    // --verbose: under cron a blocked service is printed when it becomes blocked, not every pass.
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--verbose']);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /^app\s+blocked\s+check failed: HTTP 503; waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused$/m);
  }
  assert.equal(existsSync(join(dir, 'restarted')), false);
  assert.ok(isAlive(app));
});

test('restart_on_dependency_recovery: restarted in the first pass after the database answers, with the reason', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const [port, dbPort] = [await freePort(), await freePort()];
  const first = await startApp(dir, port, dbPort);
  pids.add(first);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: ${startScript(dir, port, dbPort)}
  dep: [{name: db, port: ${dbPort}}]
  restart_on_dependency_recovery: true
`,
  );
  const pass = (...extra: string[]) => runCli(['--config', config, '--state-dir', join(dir, 'state'), ...extra]);
  const down = await pass();
  assert.equal(down.code, 0, down.stdout + down.stderr);
  pids.add(await startDb(dir, dbPort));
  const dry = await pass('--dry-run');
  assert.match(
    dry.stdout,
    new RegExp(
      `^app\\s+would restart\\s+dependency db recovered; would stop pid ${first} with SIGTERM \\(SIGKILL after 10\\.0 s\\), then run its script$`,
      'm',
    ),
  );
  assert.equal(readPid(dir, 'app'), first, 'a dry run stops nothing');
  const up = await pass();
  assert.equal(up.code, 1, up.stdout + up.stderr);
  assert.match(up.stdout, /^app\s+restarted\s+dependency db recovered; stopped \(SIGTERM\)/m);
  const second = await waitFor(() => (readPid(dir, 'app') !== first && existsSync(join(dir, 'app.port')) ? readPid(dir, 'app') : 0), 'the new app');
  pids.add(second);
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(res.status, 200, 'the new app works');
  // Restarted once: the next pass leaves it alone.
  assert.equal((await pass()).code, 0);
  assert.equal(readPid(dir, 'app'), second);
});

/** A process that ignores SIGTERM, with its pid file. */
async function startStubborn(dir: string, extra = ''): Promise<number> {
  const code = `process.on('SIGTERM', () => {}); ${extra} require('fs').writeFileSync(${JSON.stringify(join(dir, 'app.pid'))}, String(process.pid)); setInterval(() => {}, 1 << 30);`;
  const child = startChild(process.execPath, ['-e', code]);
  await waitFor(() => readPid(dir, 'app') === child.pid, 'the stubborn process');
  return child.pid!;
}

test('a process that ignores SIGTERM is killed at stop_timeout, then started again', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const stubborn = await startStubborn(dir);
  pids.add(stubborn);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: touch ${dir}/started
  check: {command: "echo not ready; exit 1"}
  failures: 1
  stop_timeout: 300ms
`,
  );
  const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^app\s+restarted\s+check failed 1 of 1: exit 1: not ready; stopped \(SIGKILL\)/m);
  assert.equal(isAlive(stubborn), false);
  assert.ok(existsSync(join(dir, 'started')));
  const stop = auditEvents(dir).find((e) => e.event === 'stop_finished');
  assert.deepEqual([stop?.signal, stop?.pid], ['SIGKILL', stubborn]);
});

test('a stop_script that fails: stop_failed, the service is not restarted, exit 2', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const app = await startStubborn(dir);
  pids.add(app);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: touch ${dir}/started
  stop_script: echo cannot stop; exit 3
  check: {command: "exit 1"}
  failures: 1
`,
  );
  const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^app\s+UNHEALTHY\s+check failed 1 of 1: exit 1; stop_script exited 3; not restarted/m);
  assert.ok(isAlive(app), 'nothing was signalled');
  assert.equal(existsSync(join(dir, 'started')), false, 'the start script did not run');
  const failed = auditEvents(dir).find((e) => e.event === 'stop_failed');
  assert.deepEqual([failed?.method, failed?.pid], ['stop_script', app]);
  assert.match(readFileSync(join(dir, 'state', 'logs', 'app.log'), 'utf8'), /cannot stop/);
});

test('a stop that keeps failing: still unhealthy every pass, retried within max_restarts, then GAVE UP', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  const app = await startStubborn(dir);
  pids.add(app);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: touch ${dir}/started
  stop_script: echo cannot stop; exit 3
  check: {command: "exit 1"}
  failures: 2
  max_restarts: 2
`,
  );
  const lines: string[] = [];
  for (let pass = 1; pass <= 5; pass++) {
    // --verbose: a pass that only repeats an ongoing GAVE UP prints it only then.
    const run = await runCli(['--verbose', '--config', config, '--state-dir', join(dir, 'state')]);
    const line = /^app\s+(\S+(?: UP)?)\s+(check failed \d of 2)[^;]*; (.*?)(?: \(log .*|; next try .*)?$/m.exec(run.stdout);
    lines.push(`${run.code} ${line?.slice(1).join(': ')}`);
  }
  assert.deepEqual(lines, [
    '1 checking: check failed 1 of 2: restarted at 2 in a row',
    '2 UNHEALTHY: check failed 2 of 2: stop_script exited 3; not restarted',
    '2 UNHEALTHY: check failed 3 of 2: stop_script exited 3; not restarted',
    '2 GAVE UP: check failed 4 of 2: restart limit reached, not restarted',
    '2 GAVE UP: check failed 5 of 2: restart limit reached, not restarted',
  ]);
  assert.equal(auditEvents(dir).filter((e) => e.event === 'stop_started').length, 2, 'the stop ran max_restarts times, no more');
  assert.ok(isAlive(app), 'nothing was signalled');
  assert.equal(existsSync(join(dir, 'started')), false, 'the start script never ran');
  const [file] = readdirSync(join(dir, 'state')).filter((n) => /^state\..*\.json$/.test(n));
  const saved = JSON.parse(readFileSync(join(dir, 'state', file!), 'utf8')).services.app;
  assert.deepEqual(
    [saved.unhealthyPasses, saved.restarts.map((r: { ok: boolean }) => r.ok), saved.restartsTotal, saved.failuresTotal, saved.backoffLevel],
    [5, [false, false], 2, 2, 1],
  );
});

test('a memory hog over max_memory is restarted, with the figure in the report', async (t) => {
  const { dir, cleanup } = tempDir();
  const pids = tracker(dir);
  t.after(async () => (await pids.stopAll(), cleanup()));
  // 96 MiB resident: filled, so the pages are really there.
  const hog = await startStubborn(dir, `globalThis.hog = Buffer.alloc(96 * 1024 * 1024, 1);`);
  pids.add(hog);
  const config = writeConfig(
    dir,
    `app:
  pid_file: ${dir}/app.pid
  script: touch ${dir}/started
  max_memory: 64MiB
  failures: 1
  stop_timeout: 200ms
`,
  );
  const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--json']);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const app = JSON.parse(run.stdout).services[0];
  assert.equal(app.state, 'restarted');
  assert.equal(app.cause, 'max_memory');
  assert.match(app.reason, /^rss \d+(\.\d)? MiB > max_memory 64 MiB for 1 pass$/);
  assert.ok(app.health.rssBytes > 64 * 2 ** 20, JSON.stringify(app.health));
  assert.equal(isAlive(hog), false);
});
