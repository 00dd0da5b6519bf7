import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJsonText } from '../../src/text/json.js';
import { printable } from '../../src/text/printable.js';

const nasty = 'a\u009b2J\u007f\u00adb\u200b\u202e\ufeff\u2028z';

test('toJsonText: the same value, with DEL, C1 and format characters escaped', () => {
  const text = toJsonText({ name: nasty, ok: 'plain é ✓' });
  assert.doesNotMatch(text, /[\u007f-\u009f\u00ad\u200b\u202e\ufeff\u2028]/);
  assert.match(text, /a\\u009b2J\\u007f\\u00adb\\u200b\\u202e\\ufeff\\u2028z/);
  assert.deepEqual(JSON.parse(text), { name: nasty, ok: 'plain é ✓' });
  assert.ok(text.endsWith('}\n'));
});

test('printable: invisible format characters are shown, so `d\\u00adb` does not pass for `db`', () => {
  assert.equal(printable('d\u00adb'), 'd\\u00adb');
  assert.equal(printable('x\u200by\u2060z\ufeff'), 'x\\u200by\\u2060z\\ufeff');
  assert.equal(printable('café 😀 ✓'), 'café 😀 ✓');
});
