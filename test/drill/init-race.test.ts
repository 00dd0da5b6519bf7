// The init race: "init" starts every service at once after boot, the app before its database, so the app runs but
// answers 503 for good. The app's own `check` finds it broken, blames nobody (the database answers), and heals it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endToEnd, initStart, runOnce, waitReady } from './drill.js';
import { services } from './fleet.js';
import { runIn } from './netns.js';
import { assertNoBudgetSpentWaiting, assertQuietTick, assertStartedInOrderOnce, drillSkip, tickUntilWorking, withFleet } from './scenario.js';

const FAILURES = 2;
const appCheck = { check: { url: 'http://10.77.2.1:8080/health' }, failures: FAILURES };

test('init race: the app started before its database runs broken, and its check heals it once the database answers', {
  skip: drillSkip,
}, async (t) => {
  await withFleet(
    t,
    async (fleet) => {
      const B = fleet.hosts.B;
      const validate = await runIn(B.ns, fleet.binary, ['validate', '--config', B.config]);
      if (validate.code !== 0) {
        t.skip(`this build has no service \`check\` yet: ${validate.stderr.trim().split('\n').pop()}`);
        return;
      }
      await initStart(fleet, ['app', 'front', 'db']);
      for (const service of services) await waitReady(fleet, service);
      const before = await endToEnd(fleet);
      assert.equal(before.status, 503, `the app came up before its database and runs broken: ${JSON.stringify(before)}`);
      const cutAt = Date.now();
      const recovery = await tickUntilWorking(t, fleet, cutAt, { maxTicks: FAILURES + 1 });
      t.diagnostic(`working end to end after ${recovery.workingAt} ticks`);
      assertStartedInOrderOnce(fleet, ['app']);
      assertNoBudgetSpentWaiting(fleet, recovery.ticks);
      await assertQuietTick(t, fleet, recovery.workingAt + 1, cutAt);
      assert.equal((await runOnce(fleet, 'B')).code, 0);
    },
    { extras: { app: appCheck } },
  );
});
