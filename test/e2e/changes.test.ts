// Under cron (stdout a pipe) a pass prints what changed, not the same problem every minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { freePort, runCli, writeConfig } from '../helpers/cli.js';

test('blocked is told once, repeated after defaults.remind, and its end is told as recovered', async (t) => {
  const { dir } = tempDir(t);
  const port = await freePort();
  const service = `app:\n  pid_file: ${dir}/app.pid\n  dep:\n    - name: db\n      host: 127.0.0.1\n      port: ${port}\n  script: touch ${dir}/ran\n`;
  const config = writeConfig(dir, service);
  const args = ['--config', config, '--state-dir', join(dir, 'state')];
  const first = await runCli(args);
  assert.equal(first.code, 2);
  assert.match(first.stdout, new RegExp(`^app +blocked +.*waiting for db \\(tcp 127\\.0\\.0\\.1:${port}\\): connection refused$`, 'm'));
  const second = await runCli(args);
  assert.deepEqual([second.code, second.stdout], [2, ''], 'the same problem: silent, but still exit 2');
  assert.match((await runCli([...args, '--verbose'])).stdout, /^app +blocked/m, '--verbose prints everything');

  writeConfig(dir, `defaults:\n  remind: 1ms\n${service}`);
  const reminder = await runCli(args);
  assert.match(reminder.stdout, /^app +blocked +.*connection refused; still blocked since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+s\)$/m);

  writeFileSync(join(dir, 'app.pid'), `${process.pid}\n`);
  const recovered = await runCli(args);
  assert.equal(recovered.code, 0);
  assert.match(recovered.stdout, /^app +recovered +pid \d+ from .* is running.*; healthy again after \d+s down$/m);
  assert.deepEqual([(await runCli(args)).stdout], [''], 'healthy and told: silent');
});
