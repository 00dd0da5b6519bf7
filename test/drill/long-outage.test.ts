// A long outage: host A (the database) stays off for many ticks while B and C keep running cron. Waiting costs
// nothing: the app and the front wait blocked, spend none of their restart budget, and come back once A does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartsCounted, startsByService } from './drill.js';
import {
  assertNoBudgetSpentWaiting,
  assertQuietTick,
  assertStartedInOrderOnce,
  bootAndCutPower,
  drillSkip,
  tickUntilWorking,
  ticksWithoutA,
  withFleet,
} from './scenario.js';

const OUTAGE_TICKS = 8;

test('long outage: dependents wait blocked through many ticks, spend no restart budget, and heal once the database is back', {
  skip: drillSkip,
}, async (t) => {
  // One restart allowed per window: a single restart counted while waiting would leave the app given up.
  await withFleet(
    t,
    async (fleet) => {
      const cutAt = await bootAndCutPower(fleet);
      const outage = await ticksWithoutA(t, fleet, cutAt, OUTAGE_TICKS, (done, n) => {
        const [b, c] = done.runs;
        assert.equal(b!.code, 2, `tick ${n}: the app is blocked (CRITICAL)`);
        assert.deepEqual(
          b!.services.map((s) => [s.state, s.blockedBy?.name]),
          [['blocked', 'db']],
        );
        assert.deepEqual(
          c!.services.map((s) => [s.state, s.blockedBy?.name]),
          [['blocked', 'app']],
        );
      });
      assert.equal(startsByService(fleet).size, 0, 'nothing was started during the outage');
      assert.deepEqual(restartsCounted(fleet, 'B'), { app: 0 }, 'no restart counted against the app while it waited');
      const recovery = await tickUntilWorking(t, fleet, cutAt, { maxTicks: 3, first: OUTAGE_TICKS + 1 });
      t.diagnostic(`working end to end ${recovery.workingAt - OUTAGE_TICKS} ticks after host A came back`);
      assertStartedInOrderOnce(fleet, ['db', 'app', 'front']);
      assertNoBudgetSpentWaiting(fleet, [...outage, ...recovery.ticks]);
      await assertQuietTick(t, fleet, recovery.workingAt + 1, cutAt);
    },
    { defaults: { max_restarts: 1 } },
  );
});

test('long outage with --converge: runs that wait out their budget blocked spend nothing; one tick heals all once the database is back', {
  skip: drillSkip,
}, async (t) => {
  await withFleet(
    t,
    async (fleet) => {
      const cutAt = await bootAndCutPower(fleet);
      const outage = await ticksWithoutA(
        t,
        fleet,
        cutAt,
        3,
        (done, n) => {
          for (const run of done.runs)
            assert.deepEqual(
              run.services.map((s) => s.state),
              ['blocked'],
              `tick ${n} on ${run.host}`,
            );
        },
        ['--converge', '2'],
      );
      assert.equal(startsByService(fleet).size, 0, 'nothing was started during the outage');
      const recovery = await tickUntilWorking(t, fleet, cutAt, { maxTicks: 1, first: 4, args: ['--converge', '50'] });
      t.diagnostic(`with --converge: working end to end ${recovery.workingAt - 3} tick after host A came back`);
      assertStartedInOrderOnce(fleet, ['db', 'app', 'front']);
      assertNoBudgetSpentWaiting(fleet, [...outage, ...recovery.ticks]);
    },
    { defaults: { max_restarts: 1 } },
  );
});
