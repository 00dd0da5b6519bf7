// A FIFO where a pass creates a file (bad luck, or a leftover of an older attack): the pass must end within its
// bounds, not block in open() forever, and must leave the lock free for the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killPid } from '../helpers/util.js';
import { autoheal } from '../helpers/command.js';
import { runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';

// Ten times what such a pass takes on a loaded machine: long enough never to fail by slowness, short enough to
// tell "ended" from "hangs forever".
const BOUND_MS = 30_000;

/** Runs a pass under `sh`, which first plants FIFOs at the names it would use for its own pid, then execs it. */
function passWithFifos(state: string, config: string): Promise<{ code: number | null; out: string; hung: boolean }> {
  const plant =
    's=$1 c=$2 && shift 2 && mkfifo "$s/state.json.$$.tmp" "$s/state.json.tmp" "$s/config-cache.json.$$.tmp" && exec "$@" --config "$c" --state-dir "$s"';
  const child = spawn('/bin/sh', ['-c', plant, 'sh', state, config, autoheal.file, ...autoheal.prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((done) => {
    const timer = setTimeout(() => {
      if (child.pid && isAlive(child.pid)) void killPid(child.pid);
      done({ code: null, out, hung: true });
    }, BOUND_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, hung: false });
    });
  });
}

test('FIFOs at the temporary state file names do not hang the pass; the state is saved and the next pass runs', {
  skip: !existsSync('/usr/bin/mkfifo') && 'needs mkfifo',
}, async (t) => {
  const fx = configFixture(t);
  const state = fx.state;
  mkdirSync(state, { mode: 0o700 });
  const config = fx.write({ web: { pid_file: fx.path('web.pid'), script: 'true', start_grace: '1ms' } });
  const first = await passWithFifos(state, config);
  assert.equal(first.hung, false, `the pass was still blocked after ${BOUND_MS} ms:\n${first.out}`);
  assert.equal(first.code, 1, first.out);
  const next = await runCli(['--config', config, '--state-dir', state]);
  assert.equal(next.code, 1, next.stdout + next.stderr);
  assert.doesNotMatch(next.stdout + next.stderr, /corrupt|another pass/);
  const saved = readdirSync(state, { recursive: true })
    .map(String)
    .filter((name) => /^state(\.[0-9a-f]{32})?\.json$/.test(name));
  assert.ok(saved.length > 0, `no state file saved: ${readdirSync(state, { recursive: true }).join(', ')}`);
  for (const name of saved) assert.ok(lstatSync(join(state, name)).isFile(), name);
});
