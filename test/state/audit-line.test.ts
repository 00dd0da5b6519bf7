// formatAuditLine and shouldRotate: one parseable line under 4096 bytes per event, and the rotation rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAuditLine, MAX_LINE_BYTES, shouldRotate, type AuditEvent } from '../../src/state/audit.js';

const at = '2024-05-01T12:00:00.000Z';

test('formatAuditLine writes one JSON line with the fields given, in a fixed order', () => {
  const event: AuditEvent = {
    at,
    service: 'db',
    event: 'restart_finished',
    reason: 'pid 9 is not running',
    exitCode: 0,
    durationMs: 18.4,
    log: '/var/lib/autoheal/logs/db.log',
  };
  assert.equal(
    formatAuditLine(event),
    '{"at":"2024-05-01T12:00:00.000Z","service":"db","event":"restart_finished","reason":"pid 9 is not running","exitCode":0,"durationMs":18,"log":"/var/lib/autoheal/logs/db.log"}\n',
  );
  assert.deepEqual(JSON.parse(formatAuditLine({ at, service: 'db', event: 'gave_up', until: at })), {
    at,
    service: 'db',
    event: 'gave_up',
    until: at,
  });
});

test('formatAuditLine keeps a line of the longest, most escaped fields under 4096 bytes, cut on whole characters', () => {
  const nasty = '\u001b[2J\u0000"\\😀'.repeat(5000);
  const event: AuditEvent = {
    at: nasty,
    service: nasty,
    event: 'restart_timed_out',
    reason: nasty,
    exitCode: -2147483648,
    signal: nasty,
    durationMs: 1e300,
    log: nasty,
    until: nasty,
  };
  const line = formatAuditLine(event);
  assert.ok(Buffer.byteLength(line) < MAX_LINE_BYTES, `${Buffer.byteLength(line)} bytes`);
  assert.equal(line.indexOf('\n'), line.length - 1);
  const back = JSON.parse(line) as Record<string, unknown>;
  for (const key of ['at', 'service', 'reason', 'signal', 'log', 'until']) {
    const value = back[key] as string;
    assert.ok(value.endsWith('…') && value.length > 1, key);
    assert.ok(nasty.startsWith(value.slice(0, -1)), `${key} is a prefix of the original`);
    assert.doesNotMatch(value, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, `${key} has no half surrogate pair`);
  }
  assert.ok((back.reason as string).length > (back.service as string).length, 'the reason gets the largest share');
});

test('formatAuditLine leaves a field that fits untouched', () => {
  const reason = 'r'.repeat(2000);
  assert.equal((JSON.parse(formatAuditLine({ at, service: 's', event: 'restart_started', reason })) as { reason: string }).reason, reason);
});

test('shouldRotate: only a non-empty log that the batch would take past the cap', () => {
  assert.equal(shouldRotate(0, 5000, 1000), false);
  assert.equal(shouldRotate(900, 100, 1000), false);
  assert.equal(shouldRotate(900, 101, 1000), true);
  assert.equal(shouldRotate(1001, 1, 1000), true);
});
