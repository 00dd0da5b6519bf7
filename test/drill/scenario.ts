// The frame every drill scenario runs in, and the assertions they share.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { builtBinary, skipWithoutBinary } from '../binary/standalone.js';
import { auditEvents, bootInOrder, cutPower, describeTick, endToEnd, startsByService, tick, type Tick } from './drill.js';
import { checkNginxConf, findDaemons, hostKeys, makeFleet, services, type Fleet, type HostKey, type ServiceExtras } from './fleet.js';
import { namespaceRefusal } from './netns.js';
import type { ServiceSpec } from '../helpers/config-fixture.js';

/** Why the drill cannot run here: only a kernel (or user) that refuses namespaces, or no built binary. */
export const drillSkip: string | false = skipWithoutBinary || (namespaceRefusal() ?? false);

/** Builds the fleet, runs the scenario, and stops and deletes everything, also when the scenario fails. */
export async function withFleet(
  t: TestContext,
  scenario: (fleet: Fleet) => Promise<void>,
  opts: { extras?: ServiceExtras; defaults?: ServiceSpec } = {},
): Promise<void> {
  findDaemons();
  const { fleet, cleanup } = makeFleet(builtBinary, opts.extras, opts.defaults);
  try {
    checkNginxConf(fleet);
    await scenario(fleet);
  } finally {
    const problems = await cleanup();
    if (problems.length > 0) t.diagnostic(`cleanup: ${problems.join('; ')}`);
    assert.deepEqual(problems, [], 'every process of the drill stopped and every namespace deleted');
  }
}

/** Boots every host in dependency order, then cuts the power of all at once; returns the moment of the cut. */
export async function bootAndCutPower(fleet: Fleet): Promise<number> {
  await bootInOrder(fleet);
  await cutPower(fleet);
  return Date.now();
}

/** Ticks 1 to `count` on hosts B and C while host A stays off; each tick is shown, then checked by `check`. */
export async function ticksWithoutA(
  t: TestContext,
  fleet: Fleet,
  cutAt: number,
  count: number,
  check: (done: Tick, n: number) => void,
  args: readonly string[] = [],
): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for (let n = 1; n <= count; n += 1) {
    const done = await tick(fleet, n, cutAt, ['B', 'C'], args);
    ticks.push(done);
    t.diagnostic(describeTick(done));
    check(done, n);
  }
  return ticks;
}

export interface Recovery {
  ticks: Tick[];
  /** The tick at whose end the front first answered 200 through the app from the database. */
  workingAt: number;
  /** Milliseconds from the power cut to then. */
  workingMs: number;
}

/** Ticks until the front answers 200 end to end, at most `maxTicks`; returns every tick it ran. */
export async function tickUntilWorking(
  t: TestContext,
  fleet: Fleet,
  cutAt: number,
  opts: { maxTicks: number; first?: number; keys?: readonly HostKey[]; args?: readonly string[] },
): Promise<Recovery> {
  const ticks: Tick[] = [];
  const first = opts.first ?? 1;
  for (let n = first; n < first + opts.maxTicks; n += 1) {
    const done = await tick(fleet, n, cutAt, opts.keys ?? hostKeys, opts.args ?? []);
    ticks.push(done);
    t.diagnostic(describeTick(done));
    const answer = await endToEnd(fleet);
    if (answer.status === 200) {
      assert.equal(answer.body, 'ok\n', "the front answers with the app's body");
      return { ticks, workingAt: n, workingMs: Date.now() - cutAt };
    }
  }
  assert.fail(`not working end to end after ${opts.maxTicks} ticks: ${JSON.stringify(await endToEnd(fleet))}`);
}

/** Every start autoheal-once made found each direct dependency ready at that moment, and none was started twice. */
export function assertStartedInOrderOnce(fleet: Fleet, expected: readonly string[]): void {
  const starts = startsByService(fleet);
  for (const [service, records] of starts) {
    for (const record of records) {
      for (const need of record.needs) {
        assert.ok(need.ready, `${service} was started while ${need.target} was not ready (${need.reason})`);
      }
    }
  }
  for (const name of expected) assert.equal(starts.get(name)?.length ?? 0, 1, `${name} started exactly once by autoheal-once`);
  for (const name of starts.keys()) assert.ok(expected.includes(name), `${name} was not expected to be restarted`);
}

/** No run reported a service given up, and no audit log holds a `gave_up`. */
export function assertNoBudgetSpentWaiting(fleet: Fleet, ticks: readonly Tick[]): void {
  for (const t of ticks) {
    for (const run of t.runs) {
      for (const s of run.services) assert.notEqual(s.state, 'gave_up', `tick ${t.n}: ${s.name} on ${run.host} gave up`);
    }
  }
  for (const key of hostKeys) {
    const events = auditEvents(fleet, key);
    assert.deepEqual(
      events.filter((e) => e.event === 'gave_up'),
      [],
      `no gave_up in ${key}'s audit log`,
    );
    const started = events.filter((e) => e.event === 'restart_started').map((e) => e.service);
    assert.equal(new Set(started).size, started.length, `${key}: no service restart_started twice (${started.join(', ')})`);
  }
}

/** One more tick once everything works: every host all healthy, exit 0. */
export async function assertQuietTick(t: TestContext, fleet: Fleet, n: number, cutAt: number, args: readonly string[] = []): Promise<void> {
  const quiet = await tick(fleet, n, cutAt, hostKeys, args);
  t.diagnostic(describeTick(quiet));
  for (const run of quiet.runs) {
    assert.equal(run.code, 0, `${run.host} all healthy after recovery: ${run.stdout}${run.stderr}`);
    assert.deepEqual(
      run.services.map((s) => s.state),
      run.services.map(() => 'healthy'),
    );
  }
}

export { services };
