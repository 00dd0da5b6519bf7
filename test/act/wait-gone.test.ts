// The one wait of act/ for a process (group) to go: it looks again until told gone, or until its time is up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntilGone } from '../../src/act/wait-gone.js';
import { isAlive, startChild } from '../helpers/util.js';

test('waitUntilGone: true at the first look when it is already gone, without looking again', async () => {
  let looks = 0;
  assert.equal(await waitUntilGone(() => (looks++, true), 10_000), true);
  assert.equal(looks, 1);
});

test('waitUntilGone: looks again until it is gone', async () => {
  let looks = 0;
  assert.equal(await waitUntilGone(() => ++looks === 3, 60_000), true);
  assert.equal(looks, 3);
});

test('waitUntilGone: false once its time is up, having looked more than once; a zero wait looks once', async () => {
  let looks = 0;
  assert.equal(await waitUntilGone(() => (looks++, false), 100), false);
  assert.ok(looks >= 2, `looked ${looks} times`);
  looks = 0;
  assert.equal(await waitUntilGone(() => (looks++, false), 0), false);
  assert.equal(looks, 1);
});

test('waitUntilGone: sees a real process go once it is killed', async () => {
  const child = startChild('sleep', ['600']);
  const pid = child.pid!;
  const waiting = waitUntilGone(() => !isAlive(pid), 60_000);
  process.kill(pid, 'SIGKILL');
  assert.equal(await waiting, true);
});
