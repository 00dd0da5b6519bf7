import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggestKey } from '../../src/config/suggest.js';

const keys = ['pname', 'pid_file', 'script', 'dep', 'probe_timeout', 'restart_timeout'];

test('edit distance counts insertions, deletions, substitutions and neighbour swaps once each', () => {
  assert.equal(editDistance('pid_fle', 'pid_file'), 1);
  assert.equal(editDistance('scirpt', 'script'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('', 'dep'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('slips suggest the intended key', () => {
  assert.equal(suggestKey('pid_fle', keys), 'pid_file');
  assert.equal(suggestKey('pidfile', keys), 'pid_file');
  assert.equal(suggestKey('pid-file', keys), 'pid_file');
  assert.equal(suggestKey('Script', keys), 'script');
  assert.equal(suggestKey('deps', keys), 'dep');
  assert.equal(suggestKey('probe_timout', keys), 'probe_timeout');
});

test('unrelated words suggest nothing', () => {
  assert.equal(suggestKey('command', keys), undefined);
  assert.equal(suggestKey('x', keys), undefined);
  assert.equal(suggestKey('depends_on', keys), undefined);
  assert.equal(suggestKey('a'.repeat(10_000), keys), undefined);
});
