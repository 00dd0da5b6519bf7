// What counts as a successful restart, which requests are refused, and how results read in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRestart, validateRestartRequest } from '../../src/act/outcome.js';
import type { RestartRequest } from '../../src/act/types.js';

const request: RestartRequest = { service: 's', script: 'true', reason: 'r', timeoutMs: 1000, logDir: '/tmp', baseEnv: {} };

test('ok only for exit 0 in time, or a detached script still running', () => {
  assert.equal(classifyRestart({ timedOut: false, exitCode: 0 }, '/l', 1).ok, true);
  assert.equal(classifyRestart({ timedOut: false, exitCode: 1 }, '/l', 1).ok, false);
  assert.equal(classifyRestart({ timedOut: true, signal: 'SIGTERM' }, '/l', 1).ok, false);
  assert.equal(classifyRestart({ timedOut: true, exitCode: 0 }, '/l', 1).ok, false);
  assert.equal(classifyRestart({ timedOut: false, signal: 'SIGKILL' }, '/l', 1).ok, false);
  assert.equal(classifyRestart({ timedOut: false, startError: 'x' }, '/l', 1).ok, false);
  assert.equal(classifyRestart({ timedOut: false, detached: true, pid: 5 }, '/l', 1).ok, true);
});

test('the result has the same keys for success and failure, optional ones only when known', () => {
  assert.deepEqual(classifyRestart({ timedOut: false, exitCode: 0, pid: 7 }, '/l', 12.6), {
    ok: true,
    timedOut: false,
    durationMs: 13,
    logPath: '/l',
    exitCode: 0,
    pid: 7,
  });
  assert.deepEqual(classifyRestart({ timedOut: false, startError: 'cannot create log directory /x' }, '/l', 0), {
    ok: false,
    timedOut: false,
    durationMs: 0,
    logPath: '/l',
    error: 'cannot create log directory /x',
  });
});

test('refuses timeouts that setTimeout would turn into 1 ms, and empty scripts', () => {
  assert.equal(validateRestartRequest(request), undefined);
  for (const timeoutMs of [0, -1, Number.NaN, Infinity, 2 ** 31]) {
    assert.match(validateRestartRequest({ ...request, timeoutMs }) ?? '', /^Expected `timeoutMs` to be a positive number/);
  }
  assert.match(validateRestartRequest({ ...request, killGraceMs: -5 }) ?? '', /`killGraceMs`.*got `-5` \(number\)/);
  assert.match(validateRestartRequest({ ...request, script: '  ' }) ?? '', /`script`/);
});
