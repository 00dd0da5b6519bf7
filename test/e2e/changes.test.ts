// Under cron (stdout a pipe) a pass prints what changed, not the same problem every minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { freePort, runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

test('blocked is told once, repeated after defaults.remind, and its end is told as recovered', async (t) => {
  const fx = configFixture(t);
  const port = await freePort();
  const services = { app: { pid_file: fx.path('app.pid'), dep: [{ name: 'db', host: '127.0.0.1', port }], script: `touch ${fx.path('ran')}` } };
  fx.write(services);
  const args = fx.args();
  const first = await runCli(args);
  assert.equal(first.code, 2);
  assert.match(first.stdout, new RegExp(`^app +blocked +.*waiting for db \\(tcp 127\\.0\\.0\\.1:${port}\\): connection refused$`, 'm'));
  const second = await runCli(args);
  assert.deepEqual([second.code, second.stdout], [2, ''], 'the same problem: silent, but still exit 2');
  assert.match((await runCli([...args, '--verbose'])).stdout, /^app +blocked/m, '--verbose prints everything');

  fx.write(services, { remind: '1ms' });
  const reminder = await runCli(args);
  assert.match(reminder.stdout, /^app +blocked +.*connection refused; still blocked since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+s\)$/m);

  writeFileSync(fx.path('app.pid'), `${process.pid}\n`);
  const recovered = await runCli(args);
  assert.equal(recovered.code, 0);
  assert.match(recovered.stdout, /^app +recovered +pid \d+ from .* is running.*; healthy again after \d+s down$/m);
  assert.deepEqual([(await runCli(args)).stdout], [''], 'healthy and told: silent');
});
