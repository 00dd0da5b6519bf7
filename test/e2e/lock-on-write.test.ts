// The pass lock is taken at a pass's first write or restart, not at its start: a pass that finds nothing to do
// and nothing new to record runs beside another one; a pass that must act waits for no one and does nothing
// while another holds the lock; and a pass that decided on a history another pass changed meanwhile decides again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awaitFile, killServices, runCli, startCommand, waitForPid } from '../helpers/cli.js';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';
import { killPid, waitFor } from '../helpers/util.js';
import { stateFileFor } from '../../src/state/store.js';

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

/** Holds the state directory's lock with flock(1), as another pass would, until the returned function is called. */
async function holdLock(fx: ConfigFixture): Promise<() => Promise<void>> {
  const held = fx.path('held');
  const release = fx.path('release-lock');
  mkdirSync(fx.state, { recursive: true, mode: 0o700 });
  const holder = spawn('flock', ['-x', '-n', fx.state, '-c', `touch '${held}'; ${awaitFile(release, 60)}`], { stdio: 'ignore' });
  const pid = holder.pid!;
  const gone = new Promise((resolve) => holder.on('exit', resolve));
  const let_go = async (): Promise<void> => {
    writeFileSync(release, '');
    await killPid(pid);
    await gone;
  };
  fx.defer(let_go);
  await waitFor(() => existsSync(held), 'flock(1) to hold the lock');
  return let_go;
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
  const waiting = fx.path('waiting');
  const release = fx.path('release');
  fx.defer(() => writeFileSync(release, ''));
  // Unarmed, the dependency is not ready. Armed, its probe by the first pass to run it waits for the test and every
  // later one answers at once: the slow pass has seen web down and its dependency ready before the fast one restarts web.
  const armed = fx.path('armed');
  const gate = `[ -e '${armed}' ] || exit 1; mkdir '${fx.path('gate-taken')}' 2>/dev/null || exit 0; touch '${waiting}'; ${awaitFile(release, 60)}`;
  fx.write({
    web: {
      pid_file: fx.path('web.pid'),
      script: `echo run >> ${runs}; ${startCommand(fx.dir, 'web')}`,
      dep: [{ name: 'gate', command: gate, timeout: '90s' }],
    },
  });
  // A first pass (web blocked) parses and caches the config: a pass that writes the cache takes the lock first thing.
  const blocked = await runCli(fx.args());
  assert.equal(blocked.code, 2, blocked.stdout + blocked.stderr);
  writeFileSync(armed, '');
  const slow = runCli(fx.args('--json'), process.env, 120_000);
  await waitFor(() => existsSync(waiting), 'the slow pass to probe the dependency');
  const fast = await runCli(fx.args());
  assert.equal(fast.code, 1, fast.stdout + fast.stderr);
  assert.deepEqual(lines(runs), ['run']);
  writeFileSync(release, '');
  const late = await slow;
  assert.equal(late.code, 1, late.stdout + late.stderr);
  assert.deepEqual(lines(runs), ['run'], 'web was restarted by both passes');
  const report = JSON.parse(late.stdout) as { services: { name: string; state: string }[] };
  assert.equal(report.services.find((s) => s.name === 'web')?.state, 'starting', late.stdout);
});
