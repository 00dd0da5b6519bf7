// install.sh into a temp root: what lands where, with which modes, and that an existing config survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.js';
import { binaryFor, listFiles, octal, packaging, runScript, version } from './installer.js';

test('installs the binary, the example config and the cron file, one line each, with their modes', (t) => {
  const { dir } = tempDir(t);
  const binary = binaryFor(dir);
  const root = join(dir, 'root');
  const run = runScript('install.sh', root, ['--prefix', '/opt/autoheal', '--binary', binary]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.deepEqual(listFiles(root), ['/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal', '/opt/autoheal/bin/autoheal-once']);
  assert.deepEqual(run.stdout.trimEnd().split('\n'), [
    `installed ${root}/opt/autoheal/bin/autoheal-once (mode 0755, version ${version})`,
    `installed ${root}/etc/autoheal/conf.yaml (mode 0600)`,
    `installed ${root}/etc/cron.d/autoheal (mode 0644)`,
  ]);
  const modes = ['opt/autoheal/bin/autoheal-once', 'etc/autoheal/conf.yaml', 'etc/cron.d/autoheal'].map((p) => octal(statSync(join(root, p)).mode));
  assert.deepEqual(modes, ['0755', '0600', '0644']);
  assert.deepEqual(readFileSync(join(root, 'opt/autoheal/bin/autoheal-once')), readFileSync(binary));
  assert.equal(readFileSync(join(root, 'etc/autoheal/conf.yaml'), 'utf8'), readFileSync(packaging('conf.example.yaml'), 'utf8'));
});

test('files are owned by root when installed as root', { skip: process.getuid?.() !== 0 && 'needs root' }, (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--binary', binaryFor(dir)]).status, 0);
  for (const file of listFiles(root)) assert.deepEqual([file, statSync(join(root, file)).uid, statSync(join(root, file)).gid], [file, 0, 0]);
});

test('defaults the prefix to /usr/local', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  assert.equal(runScript('install.sh', root, ['--binary', binaryFor(dir)]).status, 0);
  assert.ok(statSync(join(root, 'usr/local/bin/autoheal-once')).isFile());
  assert.match(readFileSync(join(root, 'etc/cron.d/autoheal'), 'utf8'), /^\* \* \* \* \* root \/usr\/local\/bin\/autoheal-once$/m);
});

test('never overwrites an existing config, and says it kept it', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  const conf = join(root, 'etc/autoheal/conf.yaml');
  mkdirSync(join(root, 'etc/autoheal'), { recursive: true });
  writeFileSync(conf, 'nginx:\n    pname: nginx\n    script: /etc/init.d/nginx start\n', { mode: 0o640 });
  const run = runScript('install.sh', root, ['--binary', binaryFor(dir)]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(readFileSync(conf, 'utf8'), 'nginx:\n    pname: nginx\n    script: /etc/init.d/nginx start\n');
  assert.equal(octal(statSync(conf).mode), '0640');
  assert.match(run.stdout, new RegExp(`^kept ${conf} \\(exists; not overwritten\\)$`, 'm'));
});

test('installing again replaces the binary and leaves no temp files behind', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  const binary = binaryFor(dir);
  assert.equal(runScript('install.sh', root, ['--binary', binary]).status, 0);
  const first = statSync(join(root, 'usr/local/bin/autoheal-once')).ino;
  assert.equal(runScript('install.sh', root, ['--binary', binary]).status, 0);
  assert.notEqual(statSync(join(root, 'usr/local/bin/autoheal-once')).ino, first, 'a new file is renamed into place');
  assert.deepEqual(listFiles(root), ['/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal', '/usr/local/bin/autoheal-once']);
});

test('refuses a binary whose --version is not ours (such as a plain node) and installs nothing', (t) => {
  const { dir } = tempDir(t);
  const root = join(dir, 'root');
  const fake = join(dir, 'node-copy');
  writeFileSync(fake, '#!/bin/sh\necho v20.20.2\n', { mode: 0o755 });
  const run = runScript('install.sh', root, ['--binary', fake]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /not an autoheal-once binary/);
  assert.deepEqual(listFiles(dir), ['/node-copy']);
});
