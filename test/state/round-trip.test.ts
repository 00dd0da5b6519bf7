// Every field of a saved history reads back, through the parser and through the store a pass uses: a field the
// writer knows can never be dropped silently by the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceHistory, State } from '../../src/plan/history.js';
import { HISTORY_KEYS, parseState } from '../../src/state/parse.js';
import { readState, sameState, writeState } from '../../src/state/store.js';
import { tempDir } from '../helpers/util.js';

// Required<>: a field added to ServiceHistory does not compile here until this history holds it.
const every: Required<ServiceHistory> = {
  restarts: [
    { at: 1_700_000_000_000, ok: false },
    { at: 1_700_000_060_000, ok: true },
  ],
  downSince: 1_700_000_000_001,
  healthySince: 1_700_000_000_002,
  backoffUntil: 1_700_000_000_003,
  backoffLevel: 2,
  pause: { by: 'alice', since: 1_700_000_000_004, until: 1_700_000_000_005, reason: 'disk swap' },
  restartsTotal: 7,
  failuresTotal: 3,
  reported: { state: 'unhealthy', since: 1_700_000_000_006, at: 1_700_000_000_007 },
  unhealthyPasses: 2,
  dependencyDown: 'db',
  cpuSample: { pid: 4242, cpuTimeMs: 1234, at: 1_700_000_000_008 },
};
const RETIRED = ['consecutiveFailures'];

// The shapes a real state file holds: every field, a healthy service, one never restarted, a thousand of them.
function stateOf(count: number): State {
  const plain: ServiceHistory = { restarts: [], healthySince: 1_700_000_000_002, backoffLevel: 0 };
  const reported: ServiceHistory = { ...plain, reported: { state: 'healthy', since: 1, at: 2 } };
  const services: State['services'] = { every };
  for (let i = 0; i < count; i++) services[`s${i}`] = i % 100 === 0 ? every : i % 2 ? plain : reported;
  return { version: 1, services };
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('the parser knows exactly the fields a history has, and the retired ones', () => {
  assert.deepEqual([...HISTORY_KEYS].sort(), [...Object.keys(every), ...RETIRED].sort());
});

test('every field of a history survives parseState, compact or indented, for one service or a thousand', () => {
  for (const count of [0, 1000]) {
    const state = stateOf(count);
    for (const text of [JSON.stringify(state), JSON.stringify(state, null, 2)]) {
      const parsed = parseState(text);
      assert.ok(!('error' in parsed), JSON.stringify(parsed));
      assert.deepEqual(asJson(parsed), asJson(state));
      assert.ok(sameState(parsed, state));
    }
  }
});

test('every field of a history survives writeState then readState, and each one counts as a change', async (t) => {
  const tmp = tempDir(t);
  const state = stateOf(1000);
  await writeState(tmp.dir, state);
  const back = await readState(tmp.dir);
  assert.equal(back.warning, undefined);
  assert.deepEqual(asJson(back.state), asJson(state));
  assert.ok(sameState(back.state, state), 'a saved state reads back the same: a healthy pass writes nothing');
  for (const key of Object.keys(every) as (keyof ServiceHistory)[]) {
    if (key === 'restarts' || key === 'backoffLevel') continue;
    const { [key]: _dropped, ...without } = every;
    const changed: State = { version: 1, services: { ...back.state.services, every: without as ServiceHistory } };
    assert.ok(!sameState(changed, back.state), `${key} dropped must count as a change`);
  }
});

test('a retired field is checked and dropped, the others kept', () => {
  const parsed = parseState(JSON.stringify({ version: 1, services: { old: { ...every, consecutiveFailures: 4 } } }));
  assert.ok(!('error' in parsed), JSON.stringify(parsed));
  assert.deepEqual(asJson(parsed), { version: 1, services: { old: asJson(every) } });
  assert.deepEqual(parseState(JSON.stringify({ version: 1, services: { old: { ...every, consecutiveFailures: -1 } } })), {
    error: 'services["old"].consecutiveFailures: expected an integer >= 0, found -1 (number)',
  });
});
