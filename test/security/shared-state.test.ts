// State is per config: two configs on one state directory (the default one when only --config differs) keep
// their own histories, and the state file reads back whatever it wrote, even at its size cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { configFixture, configYaml } from '../helpers/config-fixture.js';

const count = (path: string): number => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).length : 0);

test("two configs sharing a state directory do not erase each other's restart limits", async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const state = fx.state;
  const limits = { start_grace: '1ms', max_restarts: 3, restart_window: '1h', backoff: '1h' };
  const a = fx.writeText(configYaml({ flappy: { pid_file: `${dir}/flappy.pid`, script: `echo run >> ${dir}/runs-a`, ...limits } }), 'a.yaml');
  const b = fx.writeText(configYaml({ other: { pid_file: `${dir}/other.pid`, script: `echo run >> ${dir}/runs-b`, ...limits } }), 'b.yaml');
  for (let i = 0; i < 6; i++) {
    for (const config of [a, b]) await runCli(['--config', config, '--state-dir', state]);
  }
  assert.equal(count(join(dir, 'runs-a')), 3, 'a.yaml: max_restarts 3');
  assert.equal(count(join(dir, 'runs-b')), 3, 'b.yaml: max_restarts 3');
});

test('a state.json written by an older version is adopted: a service it gave up on stays given up', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const state = fx.state;
  mkdirSync(state, { mode: 0o700 });
  const until = Date.now() + 3_600_000;
  writeFileSync(
    join(state, 'state.json'),
    JSON.stringify({ version: 1, services: { web: { restarts: [], consecutiveFailures: 3, backoffLevel: 1, backoffUntil: until } } }),
    { mode: 0o600 },
  );
  const config = fx.write({ web: { pid_file: `${dir}/web.pid`, script: `echo run >> ${dir}/runs`, backoff_max: '2h' } });
  for (let i = 0; i < 2; i++) {
    // --verbose: without a terminal a pass prints only what changed, and the second repeats the same GAVE UP.
    const run = await runCli(['--config', config, '--state-dir', state, '--verbose']);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /^web\s+GAVE UP/m);
  }
  assert.equal(count(join(dir, 'runs')), 0);
});

test('a state near its size cap is written so that it reads back: a service given up on is not restarted by the next pass', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const state = fx.state;
  mkdirSync(state, { mode: 0o700 });
  const now = Date.now();
  // 300,000 restarts inside the window: about 9.6 MB written compactly, under the 16 MiB cap; twice that pretty.
  const restarts = Array.from({ length: 300_000 }, (_, i) => ({ at: now - 3_600_000 + i, ok: false }));
  const web = { restarts, consecutiveFailures: 3, backoffLevel: 1, backoffUntil: now + 3_600_000 };
  writeFileSync(join(state, 'state.json'), JSON.stringify({ version: 1, services: { web } }), { mode: 0o600 });
  const config = fx.write({ web: { pid_file: `${dir}/web.pid`, script: `echo run >> ${dir}/runs`, restart_window: '24h', backoff_max: '2h' } });
  for (let i = 0; i < 3; i++) {
    const run = await runCli(['--config', config, '--state-dir', state, '--verbose'], process.env, 60_000);
    assert.equal(run.code, 2, `pass ${i + 1}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /^web\s+GAVE UP/m, `pass ${i + 1}: ${run.stdout}`);
    assert.doesNotMatch(run.stdout, /corrupt/);
  }
  assert.equal(count(join(dir, 'runs')), 0, 'restarted');
});
