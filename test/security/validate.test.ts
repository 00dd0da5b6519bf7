// `validate` catches a script that can never run: too long for execve(2) or holding a NUL byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { runCli, writeConfig } from '../helpers/cli.js';

test('validate refuses a script longer than execve takes, naming file:line:col', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // One argument of execve is at most 128 KiB (MAX_ARG_STRLEN), NUL included.
    const config = writeConfig(dir, `web:\n  pid_file: /run/web.pid\n  script: echo ${'x'.repeat(128 * 1024)}\n`);
    const run = await runCli(['validate', '--config', config]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`${join(dir, 'conf.yaml')}:3:\\d+: web\\.script: .*(too long|at most)`), run.stderr);
    const pass = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(pass.code, 3, 'a pass refuses it too, before running anything');
  } finally {
    cleanup();
  }
});

test('validate refuses a script holding a NUL byte, naming file:line:col', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: /run/web.pid\n  script: "echo a\\0b"\n`);
    const run = await runCli(['validate', '--config', config]);
    assert.equal(run.code, 3, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`${join(dir, 'conf.yaml')}:3:\\d+: web\\.script: .*NUL`), run.stderr);
  } finally {
    cleanup();
  }
});

test('a script just under the execve limit is valid', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `web:\n  pid_file: /run/web.pid\n  script: echo ${'x'.repeat(100 * 1024)}\n`);
    const run = await runCli(['validate', '--config', config]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  } finally {
    cleanup();
  }
});
