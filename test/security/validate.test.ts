// `validate` catches a script that can never run: too long for execve(2) or holding a NUL byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

// Exact text: the errors name line 3.
test('validate refuses a script longer than execve takes, naming file:line:col', async (t) => {
  const fx = configFixture(t);
  // One argument of execve is at most 128 KiB (MAX_ARG_STRLEN), NUL included.
  const config = fx.writeText(`web:\n  pid_file: /run/web.pid\n  script: echo ${'x'.repeat(128 * 1024)}\n`);
  const run = await runCli(['validate', '--config', config]);
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stderr, new RegExp(`${fx.path('conf.yaml')}:3:\\d+: web\\.script: .*(too long|at most)`), run.stderr);
  const pass = await runCli(fx.args());
  assert.equal(pass.code, 3, 'a pass refuses it too, before running anything');
});

test('validate refuses a script holding a NUL byte, naming file:line:col', async (t) => {
  const fx = configFixture(t);
  // A YAML escape: the NUL is in the value, not in the file.
  const config = fx.writeText(`web:\n  pid_file: /run/web.pid\n  script: "echo a\\0b"\n`);
  const run = await runCli(['validate', '--config', config]);
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stderr, new RegExp(`${fx.path('conf.yaml')}:3:\\d+: web\\.script: .*NUL`), run.stderr);
});

test('a script just under the execve limit is valid', async (t) => {
  const fx = configFixture(t);
  const config = fx.write({ web: { pid_file: '/run/web.pid', script: `echo ${'x'.repeat(100 * 1024)}` } });
  const run = await runCli(['validate', '--config', config]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
});
