// buildLockName and findSocketInode: one fixed-length name per directory, found again in /proc/net/unix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLockName, findSocketInode } from '../../src/state/lock.js';

test('buildLockName: an abstract name that fills sun_path, the same for the same directory only', () => {
  const name = buildLockName('/var/lib/autoheal');
  assert.equal(name, buildLockName('/var/lib/autoheal'));
  assert.notEqual(name, buildLockName('/var/lib/autoheal2'));
  assert.match(name, /^\0autoheal-once:[0-9a-f]{32}:\.{60}$/);
  assert.equal(Buffer.byteLength(name), 108);
  assert.equal(Buffer.byteLength(buildLockName(`/${'é'.repeat(500)}`)), 108);
});

test('findSocketInode reads the inode of the row showing the name, with @ for NUL', () => {
  const name = buildLockName('/var/lib/autoheal');
  const shown = name.replace('\0', '@');
  const text = [
    'Num       RefCount Protocol Flags    Type St Inode Path',
    '0000000000000000: 00000002 00000000 00010000 0001 01 11111 /run/systemd/notify',
    `0000000000000000: 00000002 00000000 00010000 0001 01 22222 ${shown}x`,
    `0000000000000000: 00000002 00000000 00010000 0001 01 33333 ${shown}`,
    '0000000000000000: 00000003 00000000 00000000 0001 03 44444',
  ].join('\n');
  assert.equal(findSocketInode(text, name), 33333);
  assert.equal(findSocketInode(text, buildLockName('/elsewhere')), undefined);
  assert.equal(findSocketInode('', name), undefined);
});
