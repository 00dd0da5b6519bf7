// Heap flags: set for a big config only, and flags that this node's V8 knows (setFlagsFromString ignores others).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIG_CONFIG_BYTES, heapFlagsFor } from '../../src/util/heap.js';

test('a config below BIG_CONFIG_BYTES changes no V8 flag; one of that size or more does', () => {
  assert.equal(heapFlagsFor(0), undefined);
  assert.equal(heapFlagsFor(BIG_CONFIG_BYTES - 1), undefined);
  assert.equal(heapFlagsFor(BIG_CONFIG_BYTES), '--no-opt --semi-space-growth-factor=1');
  assert.equal(heapFlagsFor(10 * BIG_CONFIG_BYTES), heapFlagsFor(BIG_CONFIG_BYTES));
});

test("the heap flags are flags this node's V8 accepts on its command line", () => {
  const flags = heapFlagsFor(BIG_CONFIG_BYTES)!.split(' ');
  const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const unknown = spawnSync(process.execPath, ['--no-such-v8-flag-at-all', '-e', '0'], { encoding: 'utf8' });
  assert.notEqual(unknown.status, 0, 'an unknown flag is refused, so the check above can fail');
});
