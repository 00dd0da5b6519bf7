// The folders of src/ import one another in one direction only: the check script passes on the tree, and
// fails on a tree with an import that points back up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/util.js';

const run = (root: string) => spawnSync(process.execPath, [join(root, 'scripts', 'check-imports.mjs')], { encoding: 'utf8' });

test('imports between the folders of src/ point one way', () => {
  const result = run(repoRoot);
  assert.equal(result.status, 0, result.stderr);
});

test('an import from a lower layer up to a higher one is reported with its file', (t) => {
  const tmp = tempDir(t);
  mkdirSync(join(tmp.dir, 'scripts'));
  cpSync(join(repoRoot, 'scripts', 'check-imports.mjs'), join(tmp.dir, 'scripts', 'check-imports.mjs'));
  cpSync(join(repoRoot, 'src'), join(tmp.dir, 'src'), { recursive: true });
  writeFileSync(join(tmp.dir, 'src', 'probe', 'backwards.ts'), "import { decide } from '../plan/decide.js';\nexport const d = decide;\n");
  const result = run(tmp.dir);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /probe\/backwards\.ts: probe imports \.\.\/plan\/decide\.js from the higher layer plan/);
});
