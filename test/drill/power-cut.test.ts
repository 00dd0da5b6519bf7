// The power-cut drill: three hosts (db on A, app on B, nginx front on C), every process killed at once with its
// pid file left behind, then cron ticks on every host until the front answers through the app from the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { endToEnd } from './drill.js';
import { pidFile } from './fleet.js';
import {
  assertNoBudgetSpentWaiting,
  assertQuietTick,
  assertStartedInOrderOnce,
  bootAndCutPower,
  drillSkip,
  tickUntilWorking,
  withFleet,
} from './scenario.js';

test('power cut: every host heals in dependency order, one hop per tick, each service started once', { skip: drillSkip }, async (t) => {
  await withFleet(t, async (fleet) => {
    const cutAt = await bootAndCutPower(fleet);
    for (const [key, name] of [
      ['A', 'db'],
      ['B', 'app'],
      ['C', 'front'],
    ] as const) {
      assert.ok(existsSync(pidFile(fleet.hosts[key], name)), `${name}'s pid file is left behind, as after a real power cut`);
    }
    assert.equal((await endToEnd(fleet)).status, 0, 'nothing answers after the cut');
    // One hop per tick: db, then app, then front; the runs of a tick are simultaneous, so a hop may come early.
    const recovery = await tickUntilWorking(t, fleet, cutAt, { maxTicks: 3 });
    t.diagnostic(`working end to end after ${recovery.workingAt} ticks, ${(recovery.workingMs / 1000).toFixed(1)} s after the cut`);
    assertStartedInOrderOnce(fleet, ['db', 'app', 'front']);
    assertNoBudgetSpentWaiting(fleet, recovery.ticks);
    const first = recovery.ticks[0]!;
    const seen = new Map(first.runs.flatMap((r) => r.services.map((s) => [s.name, s] as const)));
    assert.equal(seen.get('db')?.state, 'restarted', 'the database, needing nothing, comes back in the first tick');
    assert.equal(seen.get('front')?.state, 'blocked', 'the front waits for the app in the first tick');
    assert.equal(seen.get('front')?.blockedBy?.name, 'app');
    await assertQuietTick(t, fleet, recovery.workingAt + 1, cutAt);
  });
});

test('power cut with --converge: every host heals in one tick, each service started once its dependency answers', { skip: drillSkip }, async (t) => {
  await withFleet(t, async (fleet) => {
    const cutAt = await bootAndCutPower(fleet);
    const args = ['--converge', '50'];
    const recovery = await tickUntilWorking(t, fleet, cutAt, { maxTicks: 1, args });
    t.diagnostic(`with --converge: working end to end after ${recovery.workingAt} tick, ${(recovery.workingMs / 1000).toFixed(1)} s after the cut`);
    assertStartedInOrderOnce(fleet, ['db', 'app', 'front']);
    assertNoBudgetSpentWaiting(fleet, recovery.ticks);
    for (const run of recovery.ticks[0]!.runs) {
      assert.equal(run.code, 1, `${run.host}: restarted in this one run: ${run.stdout}`);
      assert.deepEqual(
        run.services.map((s) => s.state),
        ['restarted'],
      );
    }
    await assertQuietTick(t, fleet, 2, cutAt, args);
  });
});
