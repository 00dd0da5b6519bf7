import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeOf, stateCode } from '../../src/report/exit-code.js';
import { SERVICE_STATES, type ServiceState } from '../../src/report/model.js';

test('each state maps to its Nagios code', () => {
  assert.deepEqual(stateCode, {
    healthy: 0,
    restarted: 1,
    starting: 1,
    booting: 1,
    gave_up: 2,
    would_restart: 2,
    restart_failed: 2,
    blocked: 2,
    unknown: 3,
    checking: 1,
    unhealthy: 2,
    paused: 0,
  });
});

test('every state of the one list has a code, and nothing else does', () => {
  assert.deepEqual(Object.keys(stateCode).sort(), [...SERVICE_STATES].sort());
});

test('the worst service decides: CRITICAL over UNKNOWN over WARNING over OK', () => {
  const states = Object.keys(stateCode) as ServiceState[];
  assert.equal(exitCodeOf([]), 0);
  for (const a of states) {
    for (const b of states) {
      const codes = [stateCode[a], stateCode[b]];
      const expected = codes.includes(2) ? 2 : codes.includes(3) ? 3 : codes.includes(1) ? 1 : 0;
      assert.equal(exitCodeOf([a, b]), expected, `${a} + ${b}`);
    }
  }
});
