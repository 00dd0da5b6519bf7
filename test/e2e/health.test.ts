// Alive but broken, end to end with the built bundle: an app that started before its database answers 503 for
// good; healed by its check after exactly `failures` passes, or by restart_on_dependency_recovery; never
// restarted while its database is down; stopped by SIGTERM, SIGKILL at stop_timeout, or its stop_script.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, isAlive, killPid, readPidFile, startChild, waitFor } from '../helpers/util.js';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture, type ServiceSpec } from '../helpers/config-fixture.js';

const brokenApp = fixture('bin', 'broken-app.mjs');
const fakeService = fixture('bin', 'fake-service.mjs');
// Process names no other test looks up by pname (test files run in parallel).
const tag = Math.random().toString(36).slice(2, 8);
const APP_NAME = `hApp${tag}`;
const DB_NAME = `hDb${tag}`;

/**
 * One test's world: a config and state dir, free ports for the app and its database, the processes it starts
 * (and those its passes start, found by their pid files), all killed by pid after the test.
 */
async function scene(t: TestContext) {
  const f = configFixture(t);
  const { dir } = f;
  const [port, dbPort] = [await freePort(), await freePort()];
  const pids = new Set<number>();
  const pid = (name: 'app' | 'db'): number | undefined => readPidFile(join(dir, `${name}.pid`));
  f.defer(async () => {
    for (const name of ['app', 'db'] as const) {
      const found = pid(name);
      if (found !== undefined) pids.add(found);
    }
    for (const p of pids) await killPid(p);
  });
  /** The command line of the broken app, listening on `port`, its database on `dbPort`. */
  const appCommand = `${process.execPath} ${brokenApp} --name ${APP_NAME} --db-port ${dbPort} --port ${port} --pid-file ${join(dir, 'app.pid')} --port-file ${join(dir, 'app.port')}`;
  const started = (pid: number): number => (pids.add(pid), pid);
  return {
    ...f,
    port,
    dbPort,
    pid,
    /** Notes a pid to kill after the test. */
    started,
    /** The restart script: start a new app in the background once the old port is free. */
    startScript: `rm -f ${join(dir, 'app.port')}; ${appCommand} &`,
    /** Starts the app ourselves (as after a power cut) and waits until it listens; returns its pid. */
    async startApp(): Promise<number> {
      const [node, ...args] = appCommand.split(' ');
      const child = startChild(node!, args);
      await waitFor(() => existsSync(join(dir, 'app.port')) && pid('app') === child.pid, 'the app to listen');
      return started(child.pid!);
    },
    async startDb(): Promise<number> {
      const child = startChild(process.execPath, [
        fakeService,
        '--name',
        DB_NAME,
        '--pid-file',
        join(dir, 'db.pid'),
        '--port',
        String(dbPort),
        '--port-file',
        join(dir, 'db.port'),
      ]);
      await waitFor(() => existsSync(join(dir, 'db.port')), 'the database to listen');
      return started(child.pid!);
    },
    /** A process that ignores SIGTERM, with its pid file; `extra` is more code for it to run first. */
    async startStubborn(extra = ''): Promise<number> {
      const code = `process.on('SIGTERM', () => {}); ${extra} require('fs').writeFileSync(${JSON.stringify(join(dir, 'app.pid'))}, String(process.pid)); setInterval(() => {}, 1 << 30);`;
      const child = startChild(process.execPath, ['-e', code]);
      await waitFor(() => pid('app') === child.pid, 'the stubborn process');
      return started(child.pid!);
    },
    /** The app restarted by a pass: a new pid, listening. */
    newApp: (old: number, what: string): Promise<number> =>
      waitFor(() => {
        const now = pid('app');
        return now !== undefined && now !== old && existsSync(join(dir, 'app.port')) ? started(now) : 0;
      }, what),
    /** Writes the config: the app, found by its pid file, with these keys. */
    writeApp: (keys: ServiceSpec) => f.write({ app: { pid_file: join(dir, 'app.pid'), ...keys } }),
    /** One pass on this config. */
    pass: (...extra: string[]) => runCli(f.args(...extra)),
    auditEvents: (): { event: string; signal?: string; method?: string; pid?: number }[] =>
      readFileSync(join(dir, 'state', 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

test('check: an app broken since before its database is restarted after exactly `failures` passes, then healthy', async (t) => {
  const s = await scene(t);
  const first = await s.startApp();
  await s.startDb();
  s.writeApp({ script: s.startScript, dep: [{ name: 'db', port: s.dbPort }], check: { url: `http://127.0.0.1:${s.port}/health` }, failures: 2 });
  const one = await s.pass();
  assert.equal(one.code, 1, one.stdout + one.stderr);
  assert.match(one.stdout, /^app\s+checking\s+check failed 1 of 2: HTTP 503; restarted at 2 failures in a row$/m);
  assert.equal(s.pid('app'), first, 'not restarted after one failure');
  const two = await s.pass();
  assert.equal(two.code, 1, two.stdout + two.stderr);
  assert.match(two.stdout, /^app\s+restarted\s+check failed 2 of 2: HTTP 503; stopped \(SIGTERM\) in .*; script exited 0/m);
  await waitFor(() => !isAlive(first), 'the broken app to be gone');
  await s.newApp(first, 'the new app to listen');
  const three = await s.pass();
  assert.equal(three.code, 0, three.stdout + three.stderr);
  assert.deepEqual(
    s.auditEvents().map((e) => [e.event, e.method, e.signal, e.pid]),
    [
      ['stop_started', 'signal', 'SIGTERM', first],
      ['restart_started', undefined, undefined, undefined],
      ['stop_finished', 'signal', 'SIGTERM', first],
      ['restart_finished', undefined, undefined, undefined],
    ],
  );
});

test('a check failing while the database is down blames the database: blocked, exit 2, never restarted', async (t) => {
  const s = await scene(t);
  const app = await s.startApp();
  s.writeApp({
    script: `touch ${s.path('restarted')}`,
    dep: [{ name: 'db', port: s.dbPort }],
    check: { url: `http://127.0.0.1:${s.port}/health` },
    failures: 1,
  });
  for (let i = 0; i < 3; i++) {
    // --verbose: under cron a blocked service is printed when it becomes blocked, not every pass.
    const run = await s.pass('--verbose');
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /^app\s+blocked\s+check failed: HTTP 503; waiting for db \(tcp 127\.0\.0\.1:\d+\): connection refused$/m);
  }
  assert.equal(existsSync(s.path('restarted')), false);
  assert.ok(isAlive(app));
});

test('restart_on_dependency_recovery: restarted in the first pass after the database answers, with the reason', async (t) => {
  const s = await scene(t);
  const first = await s.startApp();
  s.writeApp({ script: s.startScript, dep: [{ name: 'db', port: s.dbPort }], restart_on_dependency_recovery: true });
  const down = await s.pass();
  assert.equal(down.code, 0, down.stdout + down.stderr);
  await s.startDb();
  const dry = await s.pass('--dry-run');
  assert.match(
    dry.stdout,
    new RegExp(
      `^app\\s+would restart\\s+dependency db recovered; would stop pid ${first} with SIGTERM \\(SIGKILL after 10\\.0 s\\), then run its script$`,
      'm',
    ),
  );
  assert.equal(s.pid('app'), first, 'a dry run stops nothing');
  const up = await s.pass();
  assert.equal(up.code, 1, up.stdout + up.stderr);
  assert.match(up.stdout, /^app\s+restarted\s+dependency db recovered; stopped \(SIGTERM\)/m);
  const second = await s.newApp(first, 'the new app');
  const res = await fetch(`http://127.0.0.1:${s.port}/health`);
  assert.equal(res.status, 200, 'the new app works');
  // Restarted once: the next pass leaves it alone.
  assert.equal((await s.pass()).code, 0);
  assert.equal(s.pid('app'), second);
});

test('a process that ignores SIGTERM is killed at stop_timeout, then started again', async (t) => {
  const s = await scene(t);
  const stubborn = await s.startStubborn();
  s.writeApp({ script: `touch ${s.path('started')}`, check: { command: 'echo not ready; exit 1' }, failures: 1, stop_timeout: '300ms' });
  const run = await s.pass();
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^app\s+restarted\s+check failed 1 of 1: exit 1: not ready; stopped \(SIGKILL\)/m);
  assert.equal(isAlive(stubborn), false);
  assert.ok(existsSync(s.path('started')));
  const stop = s.auditEvents().find((e) => e.event === 'stop_finished');
  assert.deepEqual([stop?.signal, stop?.pid], ['SIGKILL', stubborn]);
});

test('a stop_script that fails: stop_failed, the service is not restarted, exit 2', async (t) => {
  const s = await scene(t);
  const app = await s.startStubborn();
  s.writeApp({ script: `touch ${s.path('started')}`, stop_script: 'echo cannot stop; exit 3', check: { command: 'exit 1' }, failures: 1 });
  const run = await s.pass();
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stdout, /^app\s+UNHEALTHY\s+check failed 1 of 1: exit 1; stop_script exited 3; not restarted/m);
  assert.ok(isAlive(app), 'nothing was signalled');
  assert.equal(existsSync(s.path('started')), false, 'the start script did not run');
  const failed = s.auditEvents().find((e) => e.event === 'stop_failed');
  assert.deepEqual([failed?.method, failed?.pid], ['stop_script', app]);
  assert.match(readFileSync(join(s.state, 'logs', 'app.log'), 'utf8'), /cannot stop/);
});

test('a stop that keeps failing: still unhealthy every pass, retried within max_restarts, then GAVE UP', async (t) => {
  const s = await scene(t);
  const app = await s.startStubborn();
  s.writeApp({
    script: `touch ${s.path('started')}`,
    stop_script: 'echo cannot stop; exit 3',
    check: { command: 'exit 1' },
    failures: 2,
    max_restarts: 2,
  });
  const lines: string[] = [];
  for (let pass = 1; pass <= 5; pass++) {
    // --verbose: a pass that only repeats an ongoing GAVE UP prints it only then.
    const run = await s.pass('--verbose');
    const line = /^app\s+(\S+(?: UP)?)\s+(check failed (?:\d of 2|\d passes in a row))[^;]*; (.*?)(?: \(log .*|; next try .*)?$/m.exec(run.stdout);
    lines.push(`${run.code} ${line?.slice(1).join(': ')}`);
  }
  assert.deepEqual(lines, [
    '1 checking: check failed 1 of 2: restarted at 2 failures in a row',
    '2 UNHEALTHY: check failed 2 of 2: stop_script exited 3; not restarted',
    '2 UNHEALTHY: check failed 3 passes in a row: stop_script exited 3; not restarted',
    '2 GAVE UP: check failed 4 passes in a row: restart limit reached, not restarted',
    '2 GAVE UP: check failed 5 passes in a row: restart limit reached, not restarted',
  ]);
  assert.equal(s.auditEvents().filter((e) => e.event === 'stop_started').length, 2, 'the stop ran max_restarts times, no more');
  assert.ok(isAlive(app), 'nothing was signalled');
  assert.equal(existsSync(s.path('started')), false, 'the start script never ran');
  const [file] = readdirSync(s.state).filter((n) => /^state\..*\.json$/.test(n));
  const saved = JSON.parse(readFileSync(join(s.state, file!), 'utf8')).services.app;
  assert.deepEqual(
    [saved.unhealthyPasses, saved.restarts.map((r: { ok: boolean }) => r.ok), saved.restartsTotal, saved.failuresTotal, saved.backoffLevel],
    [5, [false, false], 2, 2, 1],
  );
});

test('a memory hog over max_memory is restarted, with the figure in the report', async (t) => {
  const s = await scene(t);
  // 96 MiB resident: filled, so the pages are really there.
  const hog = await s.startStubborn(`globalThis.hog = Buffer.alloc(96 * 1024 * 1024, 1);`);
  s.writeApp({ script: `touch ${s.path('started')}`, max_memory: '64MiB', failures: 1, stop_timeout: '200ms' });
  const run = await s.pass('--json');
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const app = JSON.parse(run.stdout).services[0];
  assert.equal(app.state, 'restarted');
  assert.equal(app.cause, 'max_memory');
  assert.match(app.reason, /^rss \d+(\.\d)? MiB > max_memory 64 MiB for 1 pass$/);
  assert.ok(app.health.rssBytes > 64 * 2 ** 20, JSON.stringify(app.health));
  assert.equal(isAlive(hog), false);
});
