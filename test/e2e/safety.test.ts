// Never make things worse: limits, one pass at a time, config trust, state that survives crashes, signals.
// Every wait here is a handshake with the pass (a marker its script writes, a connection its probe makes, a line
// in its audit log), never a guess of how long a pass takes: on a loaded machine a pass takes several times longer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { killPid, waitFor } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { awaitFile, hangingServer, killServices, runCli, startCommand, waitForPid } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { Rng, seedFromEnv } from '../helpers/prng.js';
import { join } from 'node:path';
import { stateFileFor } from '../../src/state/store.js';

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

interface SavedState {
  version: number;
  services: Record<string, { restarts: { at: number; ok: boolean }[]; backoffUntil?: number }>;
}
// The state file of the fixture's config: each config keeps its own history in the state directory.
const stateFile = (fx: { state: string; config: string }): string => join(fx.state, stateFileFor(fx.config));
const readSaved = (fx: { state: string; config: string }): SavedState => JSON.parse(readFileSync(stateFile(fx), 'utf8')) as SavedState;

test('a flapping service: restarted max_restarts times, then gave up, then tried again after the backoff', async (t) => {
  const fx = configFixture(t);
  // The script "starts" nothing: the service is dead again right after every restart.
  fx.write({
    flappy: {
      pid_file: fx.path('flappy.pid'),
      script: `echo run >> ${fx.path('runs')}`,
      start_grace: '1ms',
      max_restarts: 3,
      restart_window: '1m',
      backoff: '3s',
    },
  });
  const codes: (number | null)[] = [];
  for (let i = 0; i < 3; i++) codes.push((await runCli(fx.args())).code);
  assert.deepEqual(codes, [1, 1, 1]);
  assert.equal(lines(fx.path('runs')).length, 3);
  const gaveUp = await runCli(fx.args());
  assert.equal(gaveUp.code, 2);
  assert.match(gaveUp.stdout, /^flappy\s+GAVE UP\s+.*restart limit reached, not restarted; next try in [23]s \(at /m);
  // The end of the backoff is in the state: every pass below is judged against it, whatever time the passes take.
  const until = readSaved(fx).services['flappy']!.backoffUntil;
  assert.ok(until !== undefined && until > Date.now() - 60_000, `backoffUntil ${until}`);
  const beforeAgain = Date.now();
  const again = await runCli(fx.args());
  if (Date.now() < until) {
    assert.equal(again.code, 2, `still inside the backoff\n${again.stdout}`);
    assert.equal(lines(fx.path('runs')).length, 3, 'nothing run while it backs off');
  } else {
    assert.ok(beforeAgain < until || again.code === 1, `a pass that started after the backoff restarts\n${again.stdout}`);
  }
  if (again.code === 2) {
    for (;;) {
      const started = Date.now();
      const dry = await runCli(fx.args('--dry-run'));
      if (dry.stdout.includes('would restart')) {
        assert.ok(Date.now() >= until, 'not restarted before the backoff ended');
        break;
      }
      assert.match(dry.stdout, /GAVE UP/);
      assert.ok(started < until, `a pass that started after the backoff ended still gave up:\n${dry.stdout}`);
      assert.ok(Date.now() < until + 60_000, 'the backoff ended (a minute of grace for a slow machine)');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await runCli(fx.args())).code, 1, 'tried again after the backoff');
  }
  assert.equal(lines(fx.path('runs')).length, 4);
  const audit = lines(fx.path('state', 'audit.log')).map((l) => JSON.parse(l) as { event: string; service: string });
  assert.deepEqual(
    audit.map((e) => e.event),
    [
      'restart_started',
      'restart_finished',
      'restart_started',
      'restart_finished',
      'restart_started',
      'restart_finished',
      'gave_up',
      'restart_started',
      'restart_finished',
    ],
  );
});

test('20 passes started at the same instant over 10 dead services: each restarted exactly once', async (t) => {
  const fx = configFixture(t);
  // Every script holds its pass (and so the lock) until the test has seen a pass turned away by the lock.
  const release = fx.path('release');
  const services = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      `s${i}`,
      { pid_file: fx.path(`s${i}.pid`), script: `echo s${i} >> ${fx.path('runs')}; ${awaitFile(release)}` },
    ]),
  );
  fx.write(services);
  const runs = await Promise.all(
    Array.from({ length: 20 }, () =>
      runCli(fx.args()).then((run) => {
        if (run.code === 3) writeFileSync(release, '');
        return run;
      }),
    ),
  );
  writeFileSync(release, '');
  const restarted = lines(fx.path('runs')).sort();
  assert.deepEqual(restarted, Object.keys(services).sort());
  const busy = runs.filter((r) => r.code === 3);
  for (const r of busy) assert.match(r.stderr, /^autoheal-once: another pass (\(pid \d+\) )?is running on .*; this one did nothing\n$/);
  for (const r of runs.filter((r) => r.code !== 3)) assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.ok(busy.length >= 1, 'the lock turned some passes away');
});

test('run as root, a config writable by others is refused with the command that fixes it', {
  skip: process.getuid?.() !== 0 && 'needs root',
}, async (t) => {
  const fx = configFixture(t);
  const config = fx.write({ web: { pid_file: fx.path('web.pid'), script: `touch ${fx.path('ran')}` } });
  chmodSync(config, 0o666);
  const run = await runCli(fx.args());
  assert.equal(run.code, 3);
  assert.match(run.stderr, /writable by group and others \(mode 0666\); fix it with: chmod go-w /);
  assert.equal(existsSync(fx.path('ran')), false);
  const validate = await runCli(['validate', '--config', config]);
  assert.equal(validate.code, 3);
});

test('a corrupt state file: a warning and a fresh start, never a crash', async (t) => {
  const fx = configFixture(t);
  fx.write({ web: { pid_file: fx.path('web.pid'), script: 'exit 0' } });
  await runCli(fx.args());
  writeFileSync(stateFile(fx), '{"version": 1, "services": {"web": {"restarts": [');
  const run = await runCli(fx.args());
  assert.match(run.stdout, /^warning: state file .*state\.[0-9a-f]{32}\.json is corrupt \(.*\); starting fresh$/m);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  JSON.parse(readFileSync(stateFile(fx), 'utf8'));
});

const KILLS = 60;
const SERVICES = ['s0', 's1', 's2', 's3', 's4'];

// Each pass is killed a seeded random moment (0-40 ms) after one of two handshakes, whatever the speed of the
// machine: its dependency probe reaching the test's server (just before it decides and saves the restarts it is
// about to run), or one of its restart scripts writing its marker (the restarts are saved; the scripts run, then
// the outcome is saved and audited).
test(`${KILLS} passes killed with SIGKILL just before or after they save state: it always parses, never loses a saved restart`, {
  timeout: 600_000,
}, async (t) => {
  const fx = configFixture(t);
  const seed = seedFromEnv('AUTOHEAL_KILL_SEED', 4242);
  const random = new Rng(seed);
  const dep = await hangingServer();
  fx.defer(dep.close);
  const markers = fx.path('markers');
  const services = Object.fromEntries(
    SERVICES.map((name) => [
      name,
      {
        pid_file: fx.path(`${name}.pid`),
        // AUTOHEAL_TEST_PASS reaches the script through the pass's environment: the marker names its pass.
        script: `echo "$AUTOHEAL_TEST_PASS" >> ${markers}`,
        start_grace: '1ms',
        max_restarts: 1000,
        restart_window: '1h',
        dep: [{ name: 'db', host: '127.0.0.1', port: dep.port }],
      },
    ]),
  );
  fx.write(services);
  const restartsIn = (saved: SavedState | undefined): number[] => SERVICES.map((s) => saved?.services[s]?.restarts.length ?? 0);
  let before: SavedState | undefined;
  const afterMarker = { kills: 0, saved: 0 };
  for (let i = 0; i < KILLS; i++) {
    const why = `seed ${seed}, kill ${i}`;
    const acceptedBefore = dep.accepted();
    const child = spawn(autoheal.file, autoheal.argv(fx.args()), { stdio: 'ignore', env: { ...process.env, AUTOHEAL_TEST_PASS: String(i) } });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const byMarker = random.chance(0.5);
    const delayMs = random.int(41);
    if (byMarker) {
      await waitFor(() => lines(markers).includes(String(i)), `pass ${i} to run a script (${why})`, 60_000, 2);
    } else {
      await waitFor(() => dep.accepted() > acceptedBefore || child.exitCode !== null, `pass ${i} to probe its dependency (${why})`, 60_000, 2);
    }
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await exited;
    const now: SavedState | undefined = existsSync(stateFile(fx)) ? readSaved(fx) : undefined;
    if (now) assert.equal(now.version, 1, why);
    const was = restartsIn(before);
    const is = restartsIn(now);
    // The old state or the new one, whole: never fewer restarts, at most this pass's one more each.
    assert.ok(
      is.every((n, k) => n === was[k] || n === was[k]! + 1),
      `${why}: restarts ${was.join(',')} -> ${is.join(',')}`,
    );
    assert.ok(
      is.every((n) => n === is[0]),
      `${why}: one pass saves all five restarts at once (${is.join(',')})`,
    );
    if (byMarker) {
      // A script ran: the pass saved its restarts before running any, so the kill cannot have lost them.
      afterMarker.kills++;
      assert.deepEqual(
        is,
        was.map((n) => n + 1),
        `${why}: a pass killed while its scripts ran kept its restarts`,
      );
    }
    if (is[0]! > was[0]!) afterMarker.saved++;
    before = now;
  }
  assert.ok(afterMarker.kills > 0, `seed ${seed}: some kills came after a script ran`);
  assert.ok(afterMarker.saved >= afterMarker.kills, `seed ${seed}: passes saved state (${afterMarker.saved} of ${KILLS})`);
  t.diagnostic(
    `seed ${seed}: ${KILLS} kills, ${afterMarker.kills} after a script ran; ${afterMarker.saved} passes had saved their restarts when killed`,
  );
  const next = await runCli(fx.args());
  assert.equal(next.code, 1, next.stdout + next.stderr);
  assert.doesNotMatch(next.stdout, /warning/);
});

/** Whether a process has a handler for SIGTERM (bit 15 of SigCgt in /proc/PID/status). */
function catchesSigterm(pid: number): boolean {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
}

test('SIGTERM during a restart: the script finishes, state is saved, exit 3', async (t) => {
  const fx = configFixture(t);
  // The script runs until the pass has handled SIGTERM. Handled, not just sent: a pass that sees the signal and the
  // script's exit at the same moment (as on a loaded machine) may take either first. Its handler uninstalls itself
  // (a second SIGTERM ends the pass at once), so SigCgt shows when it has run.
  fx.write({
    slow: { pid_file: fx.path('slow.pid'), script: `touch ${fx.path('running')}; ${awaitFile(fx.path('go'))}; echo done > ${fx.path('done')}` },
  });
  const child = spawn(autoheal.file, autoheal.argv(fx.args()), { stdio: ['ignore', 'pipe', 'pipe'] });
  fx.defer(() => killPid(child.pid!));
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor(() => existsSync(fx.path('running')), 'the restart script to start', 30_000);
  assert.ok(
    lines(fx.path('state', 'audit.log')).some((l) => l.includes('restart_started')),
    'audited before the script ran',
  );
  assert.equal(catchesSigterm(child.pid!), true, 'the pass catches SIGTERM while its script runs');
  child.kill('SIGTERM');
  await waitFor(() => !catchesSigterm(child.pid!), 'the pass to handle SIGTERM', 30_000, 5);
  writeFileSync(fx.path('go'), '');
  assert.equal(await exited, 3);
  assert.ok(existsSync(fx.path('done')), 'the running script was left to finish');
  assert.match(stdout, /interrupted by SIGTERM/);
  assert.equal(readSaved(fx).services['slow']!.restarts.length, 1);
  assert.ok(lines(fx.path('state', 'audit.log')).some((l) => l.includes('restart_finished')));
});

test('a service that came up after its restart and died again inside the grace is restarted, not left starting', async (t) => {
  const fx = configFixture(t);
  fx.defer(() => killServices(fx.dir, ['web']));
  fx.write({ web: { pid_file: fx.path('web.pid'), start_grace: '1h', script: startCommand(fx.dir, 'web') } });
  assert.equal((await runCli(fx.args())).code, 1);
  const first = await waitForPid(fx.dir, 'web');
  assert.equal((await runCli(fx.args())).code, 0, 'seen up');
  await killPid(first);
  const again = await runCli(fx.args());
  assert.equal(again.code, 1, again.stdout);
  assert.match(again.stdout, /^web\s+restarted/m);
  await waitFor(async () => {
    const pid = await waitForPid(fx.dir, 'web');
    return pid !== first;
  }, 'the second web to start');
});
