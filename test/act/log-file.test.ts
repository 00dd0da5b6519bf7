// The log file name is injective and cannot leave the log directory; the header is one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLogFileName, formatLogHeader } from '../../src/act/log.js';

const hostile = [
  'web',
  '.',
  '..',
  '',
  '...',
  '.hidden',
  '../etc/passwd',
  '/etc/cron.d/x',
  'a/b',
  'a%2Fb',
  'a b',
  'a%20b',
  'tab\there',
  'new\nline',
  'nul\0byte',
  'dés',
  'de\u0301s',
  '服务',
  '🚀',
  'lone\uD800',
  'lone\uDBFF',
  '%',
  '%%',
  '~',
  'x'.repeat(300),
  `${'x'.repeat(300)}y`,
  'é'.repeat(200),
  `${'é'.repeat(200)}x`,
];

test('keeps ordinary names readable', () => {
  assert.equal(buildLogFileName('web_service'), 'web_service.log');
  assert.equal(buildLogFileName('nginx-1.2'), 'nginx-1.2.log');
});

test('percent-encodes everything else, including % and a leading dot', () => {
  assert.equal(buildLogFileName('a b'), 'a%20b.log');
  assert.equal(buildLogFileName('a%20b'), 'a%2520b.log');
  assert.equal(buildLogFileName('../x'), '%2E.%2Fx.log');
  assert.equal(buildLogFileName('.'), '%2E.log');
  assert.equal(buildLogFileName('..'), '%2E..log');
  assert.equal(buildLogFileName('dés'), 'd%C3%A9s.log');
});

test('no hostile name yields a path separator, a dot file, or a name too long for Linux', () => {
  for (const name of hostile) {
    const file = buildLogFileName(name);
    assert.match(file, /^[A-Za-z0-9._%~-]*\.log$/, JSON.stringify(name));
    assert.ok(!file.includes('/'), file);
    assert.ok(name === '' || !file.startsWith('.'), file);
    assert.ok(file !== '.' && file !== '..', file);
    assert.ok(Buffer.byteLength(file) <= 255, `${file.length} bytes`);
  }
});

test('distinct names always give distinct files, lone surrogates and long names included', () => {
  const files = new Map<string, string>();
  for (const name of hostile) {
    const file = buildLogFileName(name);
    assert.equal(files.get(file), undefined, `${JSON.stringify(name)} collides with ${JSON.stringify(files.get(file))}`);
    files.set(file, name);
  }
  assert.notEqual(buildLogFileName('lone\uD800'), buildLogFileName('lone\uFFFD'));
});

test('long names are cut without splitting an escape and tagged with a hash', () => {
  const file = buildLogFileName('é'.repeat(200));
  assert.match(file, /^(%C3%A9)+~[0-9a-f]{16}\.log$/);
});

test('the header is one line with time, service and reason, control, C1 and bidi characters escaped', () => {
  const line = formatLogHeader(new Date('2024-05-01T10:00:00Z'), 'web\nFAKE', 'dependency db ready\r\n');
  assert.equal(line, '2024-05-01T10:00:00.000Z autoheal-once: restarting web\\nFAKE: dependency db ready\\r\\n\n');
  assert.equal(line.split('\n').length, 2);
  // C1 controls and bidi overrides too: the log header escapes exactly as every other output does.
  const hostile = formatLogHeader(new Date(0), 'a\u2028b\u0085c\u202ed', 'x');
  assert.equal(hostile, '1970-01-01T00:00:00.000Z autoheal-once: restarting a\\u2028b\\u0085c\\u202ed: x\n');
});
