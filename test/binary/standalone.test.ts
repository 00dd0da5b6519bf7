// The single executable runs our code with nothing around it: no node_modules, no node on PATH, no source tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/util.js';
import { uncommentExample } from '../install/installer.js';
import { runStandalone, skipWithoutBinary, stageStandalone } from './standalone.js';
import { BIG_CONFIG_BYTES } from '../../src/util/heap.js';

const version: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;

test('--version prints the package version and nothing else, alone in an empty dir with PATH=/usr/bin:/bin', {
  skip: skipWithoutBinary,
}, async (t) => {
  const stage = stageStandalone(t);
  assert.deepEqual(readdirSync(stage.dir), ['autoheal-once']);
  const run = await runStandalone(stage, ['--version']);
  assert.equal(run.stderr, '', 'no SEA warning or anything else that cron would mail');
  assert.equal(run.stdout, `${version}\n`);
  assert.equal(run.status, 0);
});

test('--version needs no node or shell on PATH', { skip: skipWithoutBinary }, async (t) => {
  const stage = stageStandalone(t);
  const run = await runStandalone(stage, ['--version'], { env: { PATH: join(stage.dir, 'no-such-dir') } });
  assert.equal(run.stdout, `${version}\n`);
  assert.equal(run.status, 0);
});

test('reads its own flags, not node\'s: a missing --config is UNKNOWN (3), not "bad option"', { skip: skipWithoutBinary }, async (t) => {
  const stage = stageStandalone(t);
  const missing = join(stage.dir, 'missing.yaml');
  const run = await runStandalone(stage, ['--config', missing, '--state-dir', join(stage.dir, 'state')]);
  assert.doesNotMatch(run.stderr, /bad option/);
  assert.equal(run.status, 3, run.stderr);
  assert.ok(run.stderr.includes(missing) || run.stdout.includes(missing), `names the missing file: ${run.stderr}`);
});

test('validate accepts the example config as installed, and its commented example uncommented', { skip: skipWithoutBinary }, async (t) => {
  const stage = stageStandalone(t);
  const example = readFileSync(join(repoRoot, 'packaging', 'conf.example.yaml'), 'utf8');
  const installed = await runStandalone(stage, ['validate'], { config: example });
  assert.equal(installed.status, 0, installed.stderr);
  assert.match(installed.stdout, /OK, 0 services/);
  const uncommented = await runStandalone(stage, ['validate'], { config: uncommentExample(example) });
  assert.equal(uncommented.status, 0, uncommented.stderr);
  assert.match(uncommented.stdout, /OK, 2 services/);
});

test('a pass over the example config as installed is silent and OK (0), as cron needs', { skip: skipWithoutBinary }, async (t) => {
  const stage = stageStandalone(t);
  const run = await runStandalone(stage, [], { config: readFileSync(join(repoRoot, 'packaging', 'conf.example.yaml'), 'utf8') });
  assert.deepEqual([run.status, run.stdout, run.stderr], [0, '', '']);
});

test('what a pass loads on use loads in the executable too: a host name, a ca_file, and the heap flags of a big config', {
  skip: skipWithoutBinary,
}, async (t) => {
  const stage = stageStandalone(t);
  // Both down, both waiting for a dependency that refuses: the dry run probes them and reports, and runs nothing.
  const config = [
    'by-name:',
    `  pid_file: ${join(stage.dir, 'none.pid')}`,
    '  script: /bin/true',
    '  dep:',
    '    - name: db',
    '      host: localhost',
    '      port: 1',
    'by-url:',
    `  pid_file: ${join(stage.dir, 'none.pid')}`,
    '  script: /bin/true',
    '  dep:',
    '    - name: web',
    '      url: https://127.0.0.1:1/health',
    `      ca_file: ${join(stage.dir, 'no-such-ca.pem')}`,
    '',
  ].join('\n');
  for (const [what, text] of [
    ['small', config],
    ['big', `${config}#${'x'.repeat(BIG_CONFIG_BYTES)}\n`],
  ] as const) {
    const run = await runStandalone(stage, ['--dry-run'], { config: text });
    assert.equal(run.stderr, '', `${what}: no internal error`);
    assert.match(run.stdout, /by-name +blocked .*waiting for db \(tcp localhost:1\): connection refused/, `${what}: ${run.stdout}`);
    assert.match(run.stdout, /by-url +\w+ .*cannot read ca_file .*no-such-ca\.pem/, `${what}: ${run.stdout}`);
    assert.equal(run.status, 2, `${what}: CRITICAL (blocked)`);
  }
});
