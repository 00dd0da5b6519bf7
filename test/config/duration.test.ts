import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/config/duration.js';

test('a number is seconds, integer or not', () => {
  assert.equal(parseDuration(5), 5000);
  assert.equal(parseDuration(0.25), 250);
  assert.equal(parseDuration(90), 90_000);
});

test('strings take ms, s, m or h', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('.5m'), 30_000);
});

test('zero, negatives, no unit, unknown units, spaces and non-numbers are refused', () => {
  for (const bad of [0, -1, '0s', '-5s', '5', '5 s', '5sec', '5d', 's', '', ' 5s', '1e3s', NaN, Infinity, null, true, [5], {}]) {
    assert.equal(parseDuration(bad), undefined, `${String(bad)} should be refused`);
  }
});

test('below 1 ms or beyond what a timer can wait (about 24.8 days) is refused', () => {
  assert.equal(parseDuration(0.0001), undefined);
  assert.equal(parseDuration('0.4ms'), undefined);
  assert.equal(parseDuration('596h'), 2_145_600_000);
  assert.equal(parseDuration('597h'), undefined);
});
