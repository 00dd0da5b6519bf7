// The sweep of leftover temp files before a state write, against real processes: a writer that is now a zombie
// is dead, and its temp file goes; a live writer's fresh one stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyState } from '../../src/plan/history.js';
import { buildTmpName, stateFileFor, writeState } from '../../src/state/store.js';
import { procStat, tempDir } from '../helpers/util.js';
import { startZombie } from '../probe/zombie.js';

test("the next write removes a fresh temp file whose writer is a zombie, and keeps a live writer's", async (t) => {
  const zombie = await startZombie();
  t.after(zombie.stop);
  const { dir } = tempDir(t);
  const file = stateFileFor('/etc/autoheal/conf.yaml');
  const ofZombie = buildTmpName(zombie.zombie, file);
  // The zombie's parent (`sleep`) is alive: the name of a writer still at work.
  const ofLive = buildTmpName(zombie.parent, file);
  for (const name of [ofZombie, ofLive]) writeFileSync(join(dir, name), '{"version":1,', { mode: 0o600 });
  assert.equal(procStat(zombie.zombie)?.state, 'Z', `pid ${zombie.zombie} is a zombie as the write starts`);
  await writeState(dir, emptyState(), file);
  assert.deepEqual(readdirSync(dir).sort(), [file, ofLive].sort());
});
