// Crash safety: a pass killed with SIGKILL at any moment while saving its state never leaves a state file that
// does not parse, and the next pass reads the old or the new state and goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readState, writeState } from '../../src/state/store.js';
import { fixture, killPid, tempDir, waitFor } from '../helpers/util.js';

const storeModule = fileURLToPath(new URL('../../src/state/store.js', import.meta.url));
const KILLS = 100;

// mulberry32: the kill moments are random but the same on every run.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const counterOf = (state: Awaited<ReturnType<typeof readState>>['state']): number => state.services.counter?.backoffLevel ?? 0;
const tmpFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

test(`${KILLS} writers killed with SIGKILL at a random moment: the state always reads back whole`, { timeout: 60_000 }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const random = prng(0x5eed);
  let previous = 0;
  let killedMidWrite = 0;
  const counters = new Set<number>();
  for (let kill = 0; kill < KILLS; kill++) {
    const child = spawn(process.execPath, [fixture('bin', 'write-state-loop.mjs'), storeModule, tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => killPid(child.pid!));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const ready = await waitFor(() => (out.includes('\n') ? out.split('\n')[0]! : ''), `writer ${kill} to start`, 10_000, 5);
    // The next pass works: it read, without a warning, exactly the state the last check read.
    assert.equal(ready, `ready ${previous}`, `writer ${kill}`);
    await new Promise((r) => setTimeout(r, Math.floor(random() * 51)));
    await killPid(child.pid!);
    if (tmpFiles(tmp.dir).length > 0) killedMidWrite++;
    const { state, warning } = await readState(tmp.dir);
    assert.equal(warning, undefined, `after kill ${kill}`);
    const counter = counterOf(state);
    assert.ok(counter >= previous, `after kill ${kill}: counter ${counter} went back from ${previous}`);
    // One whole state, never a mix of two: every service carries the same counter.
    assert.equal(Object.keys(state.services).length, counter === 0 ? 0 : 20);
    assert.ok(Object.values(state.services).every((h) => h.backoffLevel === counter), `after kill ${kill}`);
    counters.add(counter);
    previous = counter;
  }
  // The next write clears what killed writers left behind.
  await writeState(tmp.dir, (await readState(tmp.dir)).state);
  assert.deepEqual(tmpFiles(tmp.dir), []);
  assert.ok(previous > KILLS, `the writers saved states (${previous})`);
  assert.ok(killedMidWrite > 0, 'some kills landed between creating the temp file and the rename');
  t.diagnostic(`${KILLS} kills, ${KILLS} states read back after them (and ${KILLS} by the next writer), 0 corrupt; ${counters.size} distinct, ${previous} written, ${killedMidWrite} kills left a temp file`);
});
