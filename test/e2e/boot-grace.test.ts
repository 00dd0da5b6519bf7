// The boot grace against the built CLI and the real /proc/uptime: inside it nothing is started, past it as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { runCli, writeConfig } from '../helpers/cli.js';

const uptimeS = (): number => Number.parseFloat(readFileSync('/proc/uptime', 'utf8'));

test('inside the boot grace a pass probes and reports but starts nothing: `waiting for boot`, exit 1', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // A grace ten minutes longer than this host has been up: the pass is inside it.
    const grace = Math.ceil(uptimeS()) + 600;
    const config = writeConfig(dir, `defaults:\n  boot_grace: ${grace}s\nweb:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const left = /^web\s+boot grace\s+pid file .* does not exist; waiting for boot: (\d+) s left$/m.exec(run.stdout);
    assert.ok(left, run.stdout);
    assert.ok(Number(left[1]) > 500 && Number(left[1]) <= 601, `about ten minutes left, said ${left[1]} s`);
    assert.match(run.stdout, /^WARNING: 1 boot grace; 1 service in /m);
    assert.equal(existsSync(join(dir, 'ran')), false, 'nothing was started');
    const json = JSON.parse((await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--json'])).stdout);
    assert.equal(json.services[0].state, 'booting');
    assert.ok(Date.parse(json.services[0].until) > Date.now());
  } finally {
    cleanup();
  }
});

test('past the boot grace a pass restarts as usual', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const config = writeConfig(dir, `defaults:\n  boot_grace: 1ms\nweb:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state')]);
    assert.match(run.stdout, /^web\s+restarted/m);
    assert.ok(existsSync(join(dir, 'ran')));
  } finally {
    cleanup();
  }
});

test('a converging run that begins inside the boot grace waits for its end, then restarts', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // The grace ends 2 to 3 s from now, well inside a 30 s budget.
    const grace = Math.ceil(uptimeS()) + 2;
    const config = writeConfig(dir, `defaults:\n  boot_grace: ${grace}s\nweb:\n  pid_file: ${dir}/web.pid\n  script: touch ${dir}/ran\n`);
    const run = await runCli(['--config', config, '--state-dir', join(dir, 'state'), '--converge', '30', '--json'], process.env, 60_000);
    const doc = JSON.parse(run.stdout);
    const web = doc.services[0];
    assert.equal(web.state, 'restarted', run.stdout);
    assert.ok(web.round.round > 1 && web.round.atMs >= 900, `restarted in round ${web.round.round} at +${web.round.atMs} ms, after the grace`);
    assert.ok(existsSync(join(dir, 'ran')));
  } finally {
    cleanup();
  }
});
