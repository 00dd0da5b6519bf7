import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextfileAtomically } from '../../src/publish/textfile.js';
import { tempDir } from '../helpers/util.js';

test('replaces the file by rename: 0644 for the exporter, no temp file left behind', (t) => {
  const { dir } = tempDir(t);
  const path = join(dir, 'autoheal.prom');
  writeFileSync(path, 'old\n', { mode: 0o600 });
  const before = statSync(path).ino;
  writeTextfileAtomically(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  assert.notEqual(statSync(path).ino, before, 'a new file, renamed over the old one');
  assert.equal(statSync(path).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir), ['autoheal.prom']);
});

test('a symlink at the path is replaced, never followed', (t) => {
  const { dir } = tempDir(t);
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, join(dir, 'autoheal.prom'));
  writeTextfileAtomically(join(dir, 'autoheal.prom'), 'metrics\n');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.ok(lstatSync(join(dir, 'autoheal.prom')).isFile());
});

test('a missing directory throws and leaves nothing', (t) => {
  const { dir } = tempDir(t);
  assert.throws(() => writeTextfileAtomically(join(dir, 'no', 'autoheal.prom'), 'x'), /ENOENT/);
  assert.deepEqual(readdirSync(dir), []);
});
