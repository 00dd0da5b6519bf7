// A healthy pass that changes nothing leaves its state file alone, even when the plan orders services unlike the config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { stateFileFor } from '../../src/state/store.js';

test('a second healthy pass does not rewrite the state file; a change in the histories does', async (t) => {
  const fx = configFixture(t);
  const pidFile = fx.path('up.pid');
  writeFileSync(pidFile, `${process.pid}\n`);
  // `web` comes first in the file but depends on `db`: the plan puts `db` first.
  const port = 9; // never probed: both services are up
  fx.write({
    web: { pid_file: pidFile, script: '/bin/true', dep: [{ name: 'db', host: '127.0.0.1', port }] },
    db: { pid_file: pidFile, script: '/bin/true' },
  });
  const state = join(fx.state, stateFileFor(fx.config));
  const first = await runCli(fx.args());
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const written = statSync(state);
  const text = readFileSync(state, 'utf8');
  const second = await runCli(fx.args());
  assert.equal(second.code, 0, second.stdout + second.stderr);
  const after = statSync(state);
  assert.deepEqual([after.ino, after.mtimeMs], [written.ino, written.mtimeMs], 'the file was not replaced');
  assert.equal(readFileSync(state, 'utf8'), text);

  // A service that went down changes its history: that pass writes.
  writeFileSync(fx.path('gone.pid'), '4194304\n');
  fx.write({
    web: { pid_file: pidFile, script: '/bin/true', dep: [{ name: 'db', host: '127.0.0.1', port }] },
    db: { pid_file: fx.path('gone.pid'), script: '/bin/true', max_restarts: 1, restart_window: '1h' },
  });
  await runCli(fx.args('--dry-run'));
  assert.equal(statSync(state).ino, written.ino, 'a dry run writes nothing');
  const third = await runCli(fx.args());
  assert.notEqual(third.code, 0, third.stdout);
  assert.notEqual(statSync(state).ino, written.ino, 'the state was replaced');
  assert.ok(
    JSON.parse(readFileSync(state, 'utf8')).services.db.restarts.length > 0 ||
      JSON.parse(readFileSync(state, 'utf8')).services.db.downSince !== undefined,
  );
});
