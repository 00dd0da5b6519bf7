// Never make things worse: limits, one pass at a time, config trust, state that survives crashes, signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, killPid, tempDir, waitFor } from '../helpers/util.js';
import { killServices, runCli, startCommand, waitForPid, writeConfig } from '../helpers/cli.js';
import { mulberry32 } from '../helpers/prng.js';
import { stateFileFor } from '../../src/state/store.js';

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

test('a flapping service: restarted max_restarts times, then gave up, then tried again after the backoff', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // The script "starts" nothing: the service is dead again right after every restart.
    const config = writeConfig(dir, `flappy:\n  pid_file: ${dir}/flappy.pid\n  script: echo run >> ${dir}/runs\n  start_grace: 1ms\n  max_restarts: 3\n  restart_window: 1m\n  backoff: 1500ms\n`);
    const args = ['--config', config, '--state-dir', join(dir, 'state')];
    const codes: (number | null)[] = [];
    for (let i = 0; i < 3; i++) codes.push((await runCli(args)).code);
    assert.deepEqual(codes, [1, 1, 1]);
    assert.equal(lines(join(dir, 'runs')).length, 3);
    const gaveUp = await runCli(args);
    assert.equal(gaveUp.code, 2);
    assert.match(gaveUp.stdout, /^flappy\s+GAVE UP\s+.*restart limit reached, not restarted; next try in [12]s \(at /m);
    const again = await runCli(args);
    assert.equal(again.code, 2, 'still inside the backoff');
    assert.equal(lines(join(dir, 'runs')).length, 3, 'nothing run while it backs off');
    const started = Date.now();
    await waitFor(async () => (await runCli([...args, '--dry-run'])).stdout.includes('would restart'), 'the backoff to end', 10_000, 200);
    assert.ok(Date.now() - started < 5000);
    assert.equal((await runCli(args)).code, 1, 'tried again after the backoff');
    assert.equal(lines(join(dir, 'runs')).length, 4);
    const audit = lines(join(dir, 'state', 'audit.log')).map((l) => JSON.parse(l) as { event: string; service: string });
    assert.deepEqual(
      audit.map((e) => e.event),
      ['restart_started', 'restart_finished', 'restart_started', 'restart_finished', 'restart_started', 'restart_finished', 'gave_up', 'restart_started', 'restart_finished'],
    );
  } finally {
    cleanup();
  }
});

test('20 passes started at the same instant over 10 dead services: each restarted exactly once', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const services = Array.from({ length: 10 }, (_, i) => `s${i}:\n  pid_file: ${dir}/s${i}.pid\n  script: echo s${i} >> ${dir}/runs; sleep 0.3`);
    const config = writeConfig(dir, `${services.join('\n')}\n`);
    const args = ['--config', config, '--state-dir', join(dir, 'state')];
    const runs = await Promise.all(Array.from({ length: 20 }, () => runCli(args)));
    const restarted = lines(join(dir, 'runs')).sort();
    assert.deepEqual(restarted, Array.from({ length: 10 }, (_, i) => `s${i}`).sort());
    const busy = runs.filter((r) => r.code === 3);
    for (const r of busy) assert.match(r.stderr, /^autoheal-once: another pass (\(pid \d+\) )?is running on .*; this one did nothing\n$/);
    for (const r of runs.filter((r) => r.code !== 3)) assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(busy.length >= 1, 'the lock turned some passes away');
  } finally {
    cleanup();
  }
});

test('run as root, a config writable by others is refused with the command that fixes it', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    chmodSync(config, 0o666);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /writable by group and others \(mode 0666\); fix it with: chmod go-w /);
    assert.equal(existsSync(join(dir, 'ran')), false);
    const validate = await runCli(['validate', '--config', config]);
    assert.equal(validate.code, 3);
  } finally {
    cleanup();
  }
});

test('a corrupt state file: a warning and a fresh start, never a crash', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  script: exit 0\n`);
    const state = join(dir, 'state');
    await runCli(['--config', config, '--state-dir', state]);
    const file = join(state, stateFileFor(config));
    writeFileSync(file, '{"version": 1, "services": {"web": {"restarts": [');
    const run = await runCli(['--config', config, '--state-dir', state]);
    assert.match(run.stdout, /^warning: state file .*state\.[0-9a-f]{32}\.json is corrupt \(.*\); starting fresh$/m);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    cleanup();
  }
});

test('100 passes killed with SIGKILL at random moments: the state file always parses and the next pass works', async () => {
  const { dir, cleanup } = tempDir();
  const seed = Number(process.env['AUTOHEAL_KILL_SEED'] ?? 4242);
  const random = mulberry32(seed);
  try {
    const services = Array.from({ length: 5 }, (_, i) => `s${i}:\n  pid_file: ${dir}/s${i}.pid\n  script: exit 0\n  start_grace: 1ms\n  max_restarts: 1000`);
    const config = writeConfig(dir, `${services.join('\n')}\n`);
    const state = join(dir, 'state');
    let written = 0;
    for (let i = 0; i < 100; i++) {
      const child = spawn(process.execPath, [bundle, '--config', config, '--state-dir', state], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
      child.kill('SIGKILL');
      await exited;
      if (existsSync(join(state, stateFileFor(config)))) {
        const parsed = JSON.parse(readFileSync(join(state, stateFileFor(config)), 'utf8')) as { version: number };
        assert.equal(parsed.version, 1, `seed ${seed}, kill ${i}`);
        written++;
      }
    }
    assert.ok(written > 0, 'some passes got as far as writing state');
    const next = await runCli(['--config', config, '--state-dir', state]);
    assert.equal(next.code, 1, next.stdout + next.stderr);
    assert.doesNotMatch(next.stdout, /warning/);
  } finally {
    cleanup();
  }
});

test('SIGTERM during a restart: the script finishes, state is saved, exit 3', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `slow:\n  pid_file: ${dir}/slow.pid\n  script: sleep 1; echo done > ${dir}/done\n`);
    const state = join(dir, 'state');
    const child = spawn(process.execPath, [bundle, '--config', config, '--state-dir', state], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor(() => lines(join(state, 'audit.log')).some((l) => l.includes('restart_started')), 'the restart to start');
    child.kill('SIGTERM');
    assert.equal(await exited, 3);
    assert.ok(existsSync(join(dir, 'done')), 'the running script was left to finish');
    assert.match(stdout, /interrupted by SIGTERM/);
    const saved = JSON.parse(readFileSync(join(state, stateFileFor(config)), 'utf8')) as { services: Record<string, { restarts: { ok: boolean }[] }> };
    assert.equal(saved.services['slow']!.restarts.length, 1);
    assert.ok(lines(join(state, 'audit.log')).some((l) => l.includes('restart_finished')));
  } finally {
    cleanup();
  }
});

test('a service that came up after its restart and died again inside the grace is restarted, not left starting', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: ${dir}/web.pid\n  start_grace: 1h\n  script: ${startCommand(dir, 'web')}\n`);
    const args = ['--config', config, '--state-dir', join(dir, 'state')];
    assert.equal((await runCli(args)).code, 1);
    const first = await waitForPid(dir, 'web');
    assert.equal((await runCli(args)).code, 0, 'seen up');
    await killPid(first);
    const again = await runCli(args);
    assert.equal(again.code, 1, again.stdout);
    assert.match(again.stdout, /^web\s+restarted/m);
    await waitFor(async () => {
      const pid = await waitForPid(dir, 'web');
      return pid !== first;
    }, 'the second web to start');
  } finally {
    await killServices(dir, ['web']);
    cleanup();
  }
});
