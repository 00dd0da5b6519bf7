// uninstall.sh removes everything install.sh put in place except the config, and says what it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { binaryFor, listFiles, packaging, runScript } from './installer.js';

test('removes the binary and the cron file, one line each, and keeps the config', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--prefix', '/opt/autoheal', '--binary', binaryFor(dir)]).status, 0);
  const run = runScript('uninstall.sh', root, ['--prefix', '/opt/autoheal']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(listFiles(root), ['/etc/autoheal/conf.yaml']);
  assert.equal(readFileSync(join(root, 'etc/autoheal/conf.yaml'), 'utf8'), readFileSync(packaging('conf.example.yaml'), 'utf8'));
  assert.deepEqual(run.stdout.trimEnd().split('\n'), [
    `removed ${root}/etc/cron.d/autoheal`,
    `removed ${root}/opt/autoheal/bin/autoheal-once`,
    `kept ${root}/etc/autoheal/conf.yaml (the config is yours: delete it by hand if you no longer need it)`,
  ]);
});

test('removes the systemd units and the enablement link', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--systemd', '--binary', binaryFor(dir)]).status, 0);
  const wants = join(root, 'etc/systemd/system/timers.target.wants');
  mkdirSync(wants);
  symlinkSync('../autoheal.timer', join(wants, 'autoheal.timer'));
  const run = runScript('uninstall.sh', root);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(listFiles(root), ['/etc/autoheal/conf.yaml']);
  assert.match(run.stdout, new RegExp(`^removed ${wants}/autoheal.timer$`, 'm'));
});

test('removes the config directory only when it is empty, and reports nothing else to remove', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc/autoheal'), { recursive: true });
  const run = runScript('uninstall.sh', root);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(!existsSync(join(root, 'etc/autoheal')));
  assert.match(run.stdout, /^nothing to remove: /m);
});
