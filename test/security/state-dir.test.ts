// Attacks through the state directory and log_dir: root uses them only when no other user can swap them (every
// parent root's and not writable by others, as OpenSSH's StrictModes checks a home); else it refuses with the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import type { ConfigFixture, ServiceSpec } from '../helpers/config-fixture.js';
import { attackerDir, attackScene, needsRoot, victimDir } from './support.js';

// Another config's state: a service given up on for a day, and its audit log.
const VICTIM_FILES = {
  'state.json': `${JSON.stringify({ version: 1, services: { db: { restarts: [], consecutiveFailures: 3, backoffLevel: 1, backoffUntil: Date.now() + 86_400_000 } } })}\n`,
  'audit.log': '{"at":"2026-01-01T00:00:00.000Z","service":"db","event":"gave_up"}\n',
};

/** A root-owned config with one dead service whose script leaves a marker: did the pass run anything? */
function deadService(fx: ConfigFixture, defaults?: ServiceSpec): { config: string; marker: string } {
  const marker = fx.path('ran');
  return { config: fx.write({ web: { pid_file: fx.path('web.pid'), script: `touch ${marker}` } }, defaults), marker };
}

function assertRefused(run: { code: number | null; stdout: string; stderr: string }, path: string): void {
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.ok(run.stderr.includes(path), `the refusal names ${path}:\n${run.stderr}`);
  assert.match(run.stderr, /fix it with: (chown|chmod|mv|rm|mkdir)/, run.stderr);
}

test('a state directory the user swapped for a symlink to another root directory: refused, that directory untouched', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const victim = victimDir(dir, VICTIM_FILES);
  const before = victim.snapshot();
  const run = attackerDir(dir, 'run', user);
  user.sh(`ln -s '${victim.dir}' '${run}/state'`);
  const { config, marker } = deadService(fx);
  for (const extra of [[], ['--dry-run']]) {
    const result = await runCli(['--config', config, '--state-dir', join(run, 'state'), ...extra]);
    assertRefused(result, run);
  }
  assert.deepEqual(victim.snapshot(), before, 'the other directory was changed');
  assert.equal(existsSync(marker), false, 'a script ran');
});

test('a state directory to be created under a directory the user owns: refused, nothing created there', { skip: needsRoot }, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const run = attackerDir(dir, 'run', user);
  const { config, marker } = deadService(fx);
  assertRefused(await runCli(['--config', config, '--state-dir', join(run, 'state')]), run);
  assert.equal(existsSync(join(run, 'state')), false);
  assert.equal(existsSync(marker), false, 'a script ran');
});

test('a log_dir the user swapped for a symlink to a root-only directory: refused, nothing written there', { skip: needsRoot }, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const victim = victimDir(dir, VICTIM_FILES);
  const before = victim.snapshot();
  const run = attackerDir(dir, 'run', user);
  user.sh(`ln -s '${victim.dir}' '${run}/logs'`);
  const { config, marker } = deadService(fx, { log_dir: `${run}/logs` });
  assertRefused(await runCli(['--config', config, '--state-dir', join(dir, 'state')]), run);
  assert.deepEqual(victim.snapshot(), before, 'root wrote into the root-only directory');
  assert.equal(existsSync(marker), false, 'a script ran');
});

test('a state directory owned by the user, or writable by others: refused, not read (a forged history would keep a service given up)', {
  skip: needsRoot,
}, async (t) => {
  const { fx, dir, user } = attackScene(t);
  const state = join(dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  chownSync(state, user.uid, user.gid);
  const forged = JSON.stringify({
    version: 1,
    services: { web: { restarts: [], consecutiveFailures: 9, backoffLevel: 9, backoffUntil: Date.now() + 3_600_000 } },
  });
  user.sh(`printf '%s' '${forged}' > '${state}/state.json'`);
  const { config, marker } = deadService(fx);
  for (const extra of [[], ['--dry-run']]) {
    const run = await runCli(['--config', config, '--state-dir', state, ...extra]);
    assertRefused(run, state);
    assert.match(run.stderr, new RegExp(`owned by uid ${user.uid}`), run.stderr);
    assert.doesNotMatch(run.stdout, /GAVE UP/);
  }
  chownSync(state, 0, 0);
  chmodSync(state, 0o777);
  const open = await runCli(['--config', config, '--state-dir', state]);
  assertRefused(open, state);
  assert.match(open.stderr, /writable by group and others/, open.stderr);
  assert.equal(existsSync(marker), false, 'a script ran');
});

test('a missing state directory and log_dir are created 0700', { skip: needsRoot }, async (t) => {
  const { fx, dir } = attackScene(t);
  const state = join(dir, 'state');
  const logs = join(dir, 'var', 'logs');
  const { config, marker } = deadService(fx, { log_dir: logs });
  const run = await runCli(['--config', config, '--state-dir', state]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.ok(existsSync(marker));
  for (const path of [state, join(state, 'logs'), logs, join(dir, 'var')]) {
    if (path === join(state, 'logs') && !existsSync(path)) continue;
    assert.equal((statSync(path).mode & 0o7777).toString(8), '700', path);
    assert.equal(statSync(path).uid, 0, path);
  }
});
