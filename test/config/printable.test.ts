import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/text/printable.js';

test('ordinary text, including non-ASCII Unicode and emoji, is kept as it is', () => {
  for (const s of ['nginx', 'web_service-2.0', 'café', 'サービス', 'a 🚀 b', '']) assert.equal(printable(s), s);
});

test('terminal escapes, newlines and other C0 controls are escaped the way JSON escapes them', () => {
  assert.equal(printable('\x1b[2J'), '\\u001b[2J');
  assert.equal(printable('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(printable('\x00\x07\b\f'), '\\u0000\\u0007\\b\\f');
});

test('DEL, C1 controls (CSI 0x9b), line separators and bidi overrides are escaped', () => {
  assert.equal(printable('\x7f'), '\\u007f');
  assert.equal(printable('\x9b2J'), '\\u009b2J');
  assert.equal(printable('a\u2028b\u2029'), 'a\\u2028b\\u2029');
  assert.equal(printable('\u202eevil'), '\\u202eevil');
});

test('lone surrogates are escaped, paired ones kept', () => {
  assert.equal(printable('x\ud800y'), 'x\\ud800y');
  assert.equal(printable('\udc00'), '\\udc00');
  assert.equal(printable('\ud83d\ude80'), '\ud83d\ude80');
});

test('a backslash is doubled, so an escape in the output always stands for a real control character', () => {
  assert.equal(printable('\\u001b'), '\\\\u001b');
  assert.notEqual(printable('\\u001b'), printable('\x1b'));
});

test('the output never contains a control character, whatever the input', () => {
  let all = '';
  for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
  assert.doesNotMatch(printable(all), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
});
