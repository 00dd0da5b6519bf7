// parseState: a state file reads back exactly, and anything not exactly a state is refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState } from '../../src/state/parse.js';
import type { State } from '../../src/plan/history.js';

const full: State = {
  version: 1,
  services: {
    db: {
      restarts: [
        { at: 1_700_000_000_000, ok: true },
        { at: 1_700_000_060_000, ok: false },
      ],
      downSince: 1_700_000_000_000,
      backoffUntil: 1_700_000_600_000,
      backoffLevel: 2,
    },
    web: { restarts: [], healthySince: 1_700_000_100_000, backoffLevel: 0 },
  },
};

function errorOf(text: string): string {
  const result = parseState(text);
  assert.ok('error' in result, `expected an error for ${text}`);
  return result.error;
}

// Changes one field of a copy of `full` and returns the error parseState gives.
// biome-ignore lint/suspicious/noExplicitAny: the test breaks the state's shape on purpose
function errorWith(change: (s: any) => void): string {
  const copy = JSON.parse(JSON.stringify(full));
  change(copy);
  return errorOf(JSON.stringify(copy));
}

test('parseState reads back every field of a written state', () => {
  // Compared through JSON: parseState builds services with a null prototype (see below).
  assert.deepEqual(JSON.parse(JSON.stringify(parseState(JSON.stringify(full)))), full);
  assert.deepEqual(JSON.parse(JSON.stringify(parseState(JSON.stringify(full, null, 2)))), full);
  assert.deepEqual(JSON.parse(JSON.stringify(parseState('{"version":1,"services":{}}'))), { version: 1, services: {} });
});

test('parseState refuses text that is not JSON, with the parser message', () => {
  assert.equal(errorOf(''), 'Unexpected end of JSON input');
  assert.equal(errorOf('{"version":1'), "Expected ',' or '}' after property value in JSON at position 12");
  assert.equal(errorOf('{"version":1,"services":{"db":{"rest'), 'Unterminated string in JSON at position 36');
});

test('parseState refuses the wrong top level and the wrong version', () => {
  assert.equal(errorOf('[]'), 'expected an object, found an array');
  assert.equal(errorOf('null'), 'expected an object, found null');
  assert.equal(errorOf('{"version":2,"services":{}}'), 'version: expected 1, found 2 (number)');
  assert.equal(errorOf('{"version":"1","services":{}}'), 'version: expected 1, found "1" (string)');
  assert.equal(errorOf('{"services":{}}'), 'version: expected 1, found nothing');
  assert.equal(errorOf('{"version":1,"services":[]}'), 'services: expected an object, found an array');
  assert.equal(errorOf('{"version":1,"services":{},"extra":0}'), 'unknown key "extra"');
});

test('parseState refuses a half-valid service history, naming the field', () => {
  const at = 'services["db"]';
  assert.equal(
    errorWith((s) => (s.services.db = 5)),
    `${at}: expected an object, found 5 (number)`,
  );
  assert.equal(
    errorWith((s) => delete s.services.db.restarts),
    `${at}.restarts: expected an array, found nothing`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.restarts[1] = 7)),
    `${at}.restarts[1]: expected an object, found 7 (number)`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.restarts[1].at = '1')),
    `${at}.restarts[1].at: expected a time in epoch milliseconds, found "1" (string)`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.restarts[0].at = -1)),
    `${at}.restarts[0].at: expected a time in epoch milliseconds, found -1 (number)`,
  );
  assert.equal(
    errorWith((s) => delete s.services.db.restarts[0].ok),
    `${at}.restarts[0].ok: expected a boolean, found nothing`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.restarts[0].why = 'x')),
    `${at}.restarts[0]: unknown key "why"`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.consecutiveFailures = 1.5)),
    `${at}.consecutiveFailures: expected an integer >= 0, found 1.5 (number)`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.backoffLevel = 1.5)),
    `${at}.backoffLevel: expected an integer >= 0, found 1.5 (number)`,
  );
  assert.equal(
    errorWith((s) => delete s.services.db.backoffLevel),
    `${at}.backoffLevel: expected an integer >= 0, found nothing`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.downSince = null)),
    `${at}.downSince: expected a time in epoch milliseconds, found null`,
  );
  assert.equal(
    errorWith((s) => (s.services.db.colour = 'red')),
    `${at}: unknown key "colour"`,
  );
});

test('parseState refuses numbers JSON turns into Infinity', () => {
  const text = JSON.stringify(full).replace('1700000600000', '1e999');
  assert.equal(errorOf(text), 'services["db"].backoffUntil: expected a time in epoch milliseconds, found Infinity (number)');
});

test('parseState keeps a service named __proto__ as an ordinary entry, not as a prototype', () => {
  const text = '{"version":1,"services":{"__proto__":{"restarts":[],"backoffLevel":2}}}';
  const state = parseState(text);
  assert.ok(!('error' in state));
  assert.equal(Object.getPrototypeOf(state.services), null);
  assert.deepEqual(Object.keys(state.services), ['__proto__']);
  // biome-ignore lint/suspicious/noProto: a service really named __proto__
  assert.equal(state.services['__proto__']?.backoffLevel, 2);
  // A name that is also an Object.prototype member is not found where there is no such service.
  assert.equal(state.services['toString'], undefined);
  assert.equal(state.services['constructor'], undefined);
});

test('parseState accepts the retired consecutiveFailures field of earlier versions and drops it', () => {
  const text = '{"version":1,"services":{"db":{"restarts":[],"consecutiveFailures":3,"backoffLevel":1}}}';
  const state = parseState(text);
  assert.ok(!('error' in state));
  assert.deepEqual({ ...state.services.db }, { restarts: [], backoffLevel: 1 });
});

test('parseState keeps every field of a history, the health counters too, for one service or a thousand', () => {
  const full = {
    restarts: [{ at: 1_700_000_000_000, ok: false }],
    downSince: 1_700_000_000_001,
    healthySince: 1_700_000_000_002,
    backoffUntil: 1_700_000_000_003,
    backoffLevel: 2,
    unhealthyPasses: 3,
    dependencyDown: 'db',
    cpuSample: { pid: 42, cpuTimeMs: 1234, at: 1_700_000_000_004 },
  };
  const plain = { restarts: [{ at: 1_700_000_000_000, ok: true }], healthySince: 1_700_000_000_002, backoffLevel: 0 };
  const services: Record<string, unknown> = { full };
  for (let i = 0; i < 1000; i++) services[`s${i}`] = i % 100 === 0 ? full : plain;
  const parsed = parseState(JSON.stringify({ version: 1, services }));
  assert.ok(!('error' in parsed), JSON.stringify(parsed));
  assert.deepEqual(JSON.parse(JSON.stringify(parsed)), { version: 1, services });
  const legacy = parseState(JSON.stringify({ version: 1, services: { old: { ...plain, consecutiveFailures: 4 } } }));
  assert.deepEqual(JSON.parse(JSON.stringify(legacy)), { version: 1, services: { old: plain } }, 'a retired key is dropped');
});
