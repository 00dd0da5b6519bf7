// The config cache's file: a hit needs the same build, path and bytes; anything else is a miss, never an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatConfigCache, matchConfigCache, type CacheKey } from '../../src/config/cache.js';
import { parseConfigText } from '../../src/config/load.js';

const text = 'web:\n  pid_file: /run/web.pid\n  script: systemctl restart web # é\n';
const key: CacheKey = { build: '1.0.0+abc', path: '/etc/autoheal/conf.yaml', bytes: Buffer.from(text) };

test('the cache file gives back the config it was written with, for the same build, path and bytes only', async () => {
  const config = await parseConfigText(text, key.path);
  const file = formatConfigCache(key, config);
  assert.deepEqual(matchConfigCache(file, { ...key, bytes: Buffer.from(text) }), config);
  assert.ok(file.subarray(file.indexOf(0x0a) + 1).equals(key.bytes), 'the bytes follow the JSON line as they were');

  assert.equal(matchConfigCache(file, { ...key, build: '1.0.0+abd' }), undefined, 'another build');
  assert.equal(matchConfigCache(file, { ...key, path: '/etc/autoheal/other.yaml' }), undefined, 'another path');
  assert.equal(matchConfigCache(file, { ...key, bytes: Buffer.from(`${text}# edited\n`) }), undefined, 'bytes added');
  assert.equal(matchConfigCache(file, { ...key, bytes: Buffer.from(text.slice(0, -1)) }), undefined, 'a byte fewer');
  assert.equal(matchConfigCache(file, { ...key, bytes: Buffer.from(text.replace('é', 'e')) }), undefined, 'a byte changed');
});

test('a damaged or foreign cache file is a miss', async () => {
  const config = await parseConfigText(text, key.path);
  const file = formatConfigCache(key, config);
  const end = file.indexOf(0x0a);
  const miss = (bytes: Uint8Array): void => assert.equal(matchConfigCache(bytes, key), undefined);
  miss(Buffer.alloc(0));
  miss(key.bytes);
  miss(file.subarray(0, end));
  miss(Buffer.concat([Buffer.from('{"build":"1.0.0+abc",\n'), key.bytes]));
  miss(Buffer.concat([Buffer.from(`${JSON.stringify({ build: key.build, path: key.path, config: [] })}\n`), key.bytes]));
  miss(Buffer.concat([Buffer.from(`${JSON.stringify({ build: key.build, path: key.path, config: { services: [] } })}\n`), key.bytes]));
  // A cache written by an earlier build that kept the text inside the JSON: one line, no bytes after it.
  miss(Buffer.from(JSON.stringify({ build: key.build, path: key.path, text, config })));
});
