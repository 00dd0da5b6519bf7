// The pass lock is taken at a pass's first write or restart, not at its start: a pass that finds nothing to do
// and nothing new to record runs beside another one; a pass that must act waits for no one and does nothing
// while another holds the lock; and a pass that decided on a history another pass changed meanwhile decides again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awaitFile, type CliRun, killServices, runCli, startCommand, waitForPid } from '../helpers/cli.js';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';
import { waitFor } from '../helpers/util.js';
import { stateFileFor } from '../../src/state/store.js';

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

/** Holds the state directory's lock with flock(1), as another pass would, until the returned function is called. */
async function holdLock(fx: ConfigFixture): Promise<() => Promise<void>> {
  const held = fx.path('held');
  const release = fx.path('release-lock');
  mkdirSync(fx.state, { recursive: true, mode: 0o700 });
  const holder = spawn('flock', ['-x', '-n', fx.state, '-c', `touch '${held}'; ${awaitFile(release, 60)}`], { stdio: 'ignore' });
  const gone = new Promise((resolve) => holder.on('exit', resolve));
  // flock(1) exits when its command does, which sees the file within 20 ms (and gives up after 60 s anyway).
  const letGo = async (): Promise<void> => {
    writeFileSync(release, '');
    await gone;
  };
  fx.defer(letGo);
  await waitFor(() => existsSync(held), 'flock(1) to hold the lock');
  return letGo;
}

/**
 * A shell command for a check or a dependency probe that holds a pass inside its probes while the test runs others:
 * unarmed it exits `unarmed`; armed, its first run says so (see held()), waits until letGo(), then exits `first`;
 * every later run exits `later` at once.
 */
function heldProbe(fx: ConfigFixture, exits: { unarmed: number; first: number; later: number }) {
  const armed = fx.path('armed');
  const waiting = fx.path('waiting');
  const release = fx.path('release');
  const letGo = (): void => writeFileSync(release, '');
  return {
    command: `[ -e '${armed}' ] || exit ${exits.unarmed}; mkdir '${fx.path('taken')}' 2>/dev/null || exit ${exits.later}; touch '${waiting}'; ${awaitFile(release, 60)}; exit ${exits.first}`,
    arm: () => writeFileSync(armed, ''),
    held: () => waitFor(() => existsSync(waiting), 'a pass to run the held probe'),
    letGo,
    /** Starts the pass to be held; after the test it is let go and awaited, even after a failed assertion. */
    pass: (...args: string[]): Promise<CliRun> => {
      const run = runCli(fx.args(...args), process.env, 120_000);
      fx.defer(async () => {
        letGo();
        await run;
      });
      return run;
    },
  };
}

/** Every file in the state directory with its size and mtime: what a pass that writes nothing leaves as it was. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .sort()
    .map((name) => {
      const st = statSync(join(dir, name));
      return `${name} ${st.size} ${st.mtimeMs}`;
    })
    .join('\n');
}

test('a pass with nothing to do or record runs while another holds the lock, and writes nothing', async (t) => {
  const fx = configFixture(t);
  fx.defer(() => killServices(fx.dir, ['web']));
  const runs = fx.path('runs');
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `echo run >> ${runs}; ${startCommand(fx.dir, 'web')}`, start_grace: '1ms' } });
  const first = await runCli(fx.args());
  assert.equal(first.code, 1, first.stdout + first.stderr);
  await waitForPid(fx.dir, 'web');
  // The next pass records web healthy again; after it the history has nothing new to take.
  const settle = await runCli(fx.args());
  assert.equal(settle.code, 0, settle.stdout + settle.stderr);
  const before = snapshot(fx.state);
  const letGo = await holdLock(fx);
  const quiet = await runCli(fx.args('--format', 'nagios'));
  assert.equal(quiet.code, 0, quiet.stdout + quiet.stderr);
  assert.match(quiet.stdout, /^AUTOHEAL OK - 1 service healthy/);
  assert.equal(snapshot(fx.state), before, 'the pass wrote to the state directory');
  assert.deepEqual(lines(runs), ['run']);
  await letGo();
});

test('a pass that must restart while another holds the lock exits 3 and runs nothing; once the lock is free it heals', async (t) => {
  const fx = configFixture(t);
  fx.defer(() => killServices(fx.dir, ['web']));
  const runs = fx.path('runs');
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `echo run >> ${runs}; ${startCommand(fx.dir, 'web')}`, start_grace: '1ms' } });
  const letGo = await holdLock(fx);
  const busy = await runCli(fx.args());
  assert.equal(busy.code, 3, busy.stdout + busy.stderr);
  assert.match(busy.stderr, /^autoheal-once: another pass (\(pid \d+\) )?is running on .*; this one did nothing\n$/);
  assert.deepEqual(lines(runs), [], 'the script ran without the lock');
  assert.equal(existsSync(join(fx.state, stateFileFor(fx.config))), false, 'the history was written without the lock');
  await letGo();
  const healed = await runCli(fx.args());
  assert.equal(healed.code, 1, healed.stdout + healed.stderr);
  assert.deepEqual(lines(runs), ['run']);
});

test('a pass that decided to restart on a history another pass then changed decides again, and restarts nothing twice', async (t) => {
  const fx = configFixture(t);
  fx.defer(() => killServices(fx.dir, ['web']));
  const runs = fx.path('runs');
  // The slow pass sees web down and its dependency ready before the fast one restarts web.
  const gate = heldProbe(fx, { unarmed: 1, first: 0, later: 0 });
  fx.write({
    web: {
      pid_file: fx.path('web.pid'),
      script: `echo run >> ${runs}; ${startCommand(fx.dir, 'web')}`,
      dep: [{ name: 'gate', command: gate.command, timeout: '90s' }],
    },
  });
  // A first pass (web blocked) parses and caches the config: a pass that writes the cache takes the lock first thing.
  const blocked = await runCli(fx.args());
  assert.equal(blocked.code, 2, blocked.stdout + blocked.stderr);
  gate.arm();
  const slow = gate.pass('--json');
  await gate.held();
  const fast = await runCli(fx.args());
  assert.equal(fast.code, 1, fast.stdout + fast.stderr);
  assert.deepEqual(lines(runs), ['run']);
  gate.letGo();
  const late = await slow;
  assert.equal(late.code, 1, late.stdout + late.stderr);
  assert.deepEqual(lines(runs), ['run'], 'web was restarted by both passes');
  const report = JSON.parse(late.stdout) as { services: { name: string; state: string }[] };
  assert.equal(report.services.find((s) => s.name === 'web')?.state, 'starting', late.stdout);
});

test('a restart found without the lock is decided again under it: a service that came back meanwhile is not restarted', async (t) => {
  const fx = configFixture(t);
  const runs = fx.path('runs');
  const gate = heldProbe(fx, { unarmed: 1, first: 0, later: 0 });
  fx.write({ web: { pid_file: fx.path('web.pid'), script: `echo run >> ${runs}`, dep: [{ name: 'gate', command: gate.command, timeout: '90s' }] } });
  const blocked = await runCli(fx.args());
  assert.equal(blocked.code, 2, blocked.stdout + blocked.stderr);
  gate.arm();
  const slow = gate.pass();
  await gate.held();
  // web comes back by other means (an operator, systemd) while the pass waits on its dependency.
  writeFileSync(fx.path('web.pid'), `${process.pid}\n`);
  gate.letGo();
  const late = await slow;
  assert.equal(late.code, 0, late.stdout + late.stderr);
  assert.deepEqual(lines(runs), [], 'web was restarted on what the pass saw before it took the lock');
});

/** api, up (its pid file names this test's process), with `check` run by the given command; two passes settle it. */
async function settledApi(fx: ConfigFixture, check: string, ...extra: string[]): Promise<void> {
  writeFileSync(fx.path('api.pid'), `${process.pid}\n`);
  fx.write({ api: { pid_file: fx.path('api.pid'), script: '/bin/true', check: { command: check, timeout: '90s' }, failures: 3 } });
  for (const pass of ['first', 'steady']) {
    const run = await runCli(fx.args(...extra));
    assert.equal(run.code, 0, `${pass}: ${run.stdout}${run.stderr}`);
  }
}

test('a pause made while a pass probes without the lock is not lost when that pass then records a failed check', async (t) => {
  const fx = configFixture(t);
  const check = heldProbe(fx, { unarmed: 0, first: 1, later: 1 });
  await settledApi(fx, check.command);
  check.arm();
  const slow = check.pass();
  await check.held();
  const pause = await runCli(['pause', 'api', '--for', '1h', '--reason', 'swap', ...fx.args()]);
  assert.equal(pause.code, 0, pause.stdout + pause.stderr);
  check.letGo();
  const late = await slow;
  assert.equal(late.code, 0, `a paused service counts as OK: ${late.stdout}${late.stderr}`);
  const saved = JSON.parse(readFileSync(join(fx.state, stateFileFor(fx.config)), 'utf8')) as {
    services: Record<string, { pause?: { reason?: string } }>;
  };
  assert.equal(saved.services['api']?.pause?.reason, 'swap', 'the pass saved the history it read before the pause');
});

test('a pass without the lock leaves the metrics file alone when another pass saved a history since it read its own', async (t) => {
  const fx = configFixture(t);
  const check = heldProbe(fx, { unarmed: 0, first: 0, later: 0 });
  const metrics = fx.path('autoheal.prom');
  await settledApi(fx, check.command, '--metrics-file', metrics);
  const published = readFileSync(metrics, 'utf8');
  check.arm();
  const slow = check.pass('--metrics-file', metrics);
  await check.held();
  const pause = await runCli(['pause', 'api', ...fx.args()]);
  assert.equal(pause.code, 0, pause.stdout + pause.stderr);
  check.letGo();
  const late = await slow;
  assert.equal(late.code, 0, late.stdout + late.stderr);
  assert.equal(readFileSync(metrics, 'utf8'), published, 'the metrics of a history already replaced were published');
  // With nothing changed since, the next pass publishes again.
  const next = await runCli(fx.args('--metrics-file', metrics));
  assert.equal(next.code, 0, next.stdout + next.stderr);
  assert.notEqual(readFileSync(metrics, 'utf8'), published);
});
