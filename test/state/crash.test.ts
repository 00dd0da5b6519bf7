// Crash safety: a pass killed with SIGKILL at any moment while saving its state never leaves a state file that
// does not parse, and the next pass reads the old or the new state and goes on.
import { once } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readState, writeState } from '../../src/state/store.js';
import { fixture, isAlive, killPid, tempDir, waitFor } from '../helpers/util.js';
import { Rng, seedFromEnv } from '../helpers/prng.js';

const storeModule = fileURLToPath(new URL('../../src/state/store.js', import.meta.url));
const KILLS = 100;

/** The writer's counter, carried in every service's backoffLevel (see fixtures/bin/write-state-loop.mjs). */
const counterOf = (state: Awaited<ReturnType<typeof readState>>['state']): number => state.services.counter?.backoffLevel ?? 0;
const tmpFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

test(`${KILLS} writers killed with SIGKILL at a random moment: the state always reads back whole`, { timeout: 600_000 }, async (t) => {
  const tmp = tempDir(t);
  const seed = seedFromEnv('AUTOHEAL_KILL_SEED', 0x5eed);
  const random = new Rng(seed);
  let previous = 0;
  let killedMidWrite = 0;
  const counters = new Set<number>();
  for (let kill = 0; kill < KILLS; kill++) {
    const child = spawn(process.execPath, [fixture('bin', 'write-state-loop.mjs'), storeModule, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => killPid(child.pid!));
    // Listened for from the start, so the exit is never missed: once seen, node has reaped the writer.
    const exited = once(child, 'exit');
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const ready = await waitFor(() => (out.includes('\n') ? out.split('\n')[0]! : ''), `writer ${kill} to start`, 30_000, 5);
    // The next pass works: it read, without a warning, exactly the state the last check read.
    assert.equal(ready, `ready ${previous}`, `writer ${kill}`);
    // Handshake: the writer has saved at least one state of its own, however slow the machine; then a seeded
    // random moment later it dies, wherever it is in the next write.
    await waitFor(async () => counterOf((await readState(tmp.dir)).state) > previous, `writer ${kill} to save a state`, 30_000, 1);
    await new Promise((r) => setTimeout(r, random.int(51)));
    await killPid(child.pid!);
    // Reaped: the writer is gone for good before the next one starts (a zombie's temp file would be swept too).
    await exited;
    if (tmpFiles(tmp.dir).length > 0) killedMidWrite++;
    const { state, warning } = await readState(tmp.dir);
    assert.equal(warning, undefined, `seed ${seed}, after kill ${kill}`);
    const counter = counterOf(state);
    assert.ok(counter > previous, `seed ${seed}, after kill ${kill}: counter ${counter}, before the kill ${previous}`);
    // One whole state, never a mix of two: every service carries the same counter.
    assert.equal(Object.keys(state.services).length, counter === 0 ? 0 : 20);
    assert.ok(
      Object.values(state.services).every((h) => h.backoffLevel === counter),
      `seed ${seed}, after kill ${kill}`,
    );
    counters.add(counter);
    previous = counter;
  }
  // The next write clears what killed writers left behind. Only a temp file whose writer's pid a live process has
  // taken since may stay (pids wrap at 32768 on a busy machine): it is left until it is a minute old, since its
  // name says a writer may still be at work. Such a process may also exit around the write, so a pid alive just
  // before or just after it excuses its file.
  const pidOf = (name: string): number => Number(name.split('.').at(-3));
  const aliveBefore = new Set(tmpFiles(tmp.dir).filter((name) => isAlive(pidOf(name))));
  await writeState(tmp.dir, (await readState(tmp.dir)).state);
  const left = tmpFiles(tmp.dir).filter((name) => !aliveBefore.has(name) && !isAlive(pidOf(name)));
  assert.deepEqual(left, []);
  assert.ok(previous >= KILLS, `every writer saved a state (${previous} in all)`);
  assert.ok(killedMidWrite > 0, `seed ${seed}: some kills landed between creating the temp file and the rename`);
  t.diagnostic(
    `${KILLS} kills, ${KILLS} states read back after them (and ${KILLS} by the next writer), 0 corrupt; ${counters.size} distinct, ${previous} written, ${killedMidWrite} kills left a temp file`,
  );
});
