import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, readUpTo, resolveConfigPath } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { configFixture } from '../helpers/config-fixture.js';
import { fixture } from '../helpers/util.js';

/** The ConfigError readConfig throws for `path`. */
async function configError(path: string): Promise<ConfigError> {
  try {
    await readConfig(path);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.exitCode, 3);
    return error;
  }
  assert.fail(`${path} loaded`);
}

test('the config path: --config, else $AUTOHEAL_CONFIG, else /etc/autoheal/conf.yaml', () => {
  assert.equal(resolveConfigPath('/a.yaml', { AUTOHEAL_CONFIG: '/b.yaml' }), '/a.yaml');
  assert.equal(resolveConfigPath(undefined, { AUTOHEAL_CONFIG: '/b.yaml' }), '/b.yaml');
  assert.equal(resolveConfigPath(undefined, {}), '/etc/autoheal/conf.yaml');
  assert.equal(resolveConfigPath(undefined, { AUTOHEAL_CONFIG: '' }), '/etc/autoheal/conf.yaml');
  assert.equal(resolveConfigPath('rel/conf.yaml', {}), 'rel/conf.yaml');
});

test('the seed example reads from disk', async () => {
  const config = await readConfig(fixture('config', 'seed.yaml'));
  assert.deepEqual(
    config.services.map((s) => [s.name, s.deps.map((d) => [d.name, d.internal])]),
    [
      ['nginx', []],
      [
        'web_service',
        [
          ['nginx', true],
          ['middleware', false],
        ],
      ],
    ],
  );
});

test('a config with problems throws ConfigError listing them as file:line:col: path: message', async () => {
  const file = fixture('config', 'typo-key.yaml');
  const error = await configError(file);
  assert.equal(error.issues.length, 3);
  assert.equal(
    error.message,
    [
      `${file}:1:1: nginx: expected a \`script\` that restarts it, found none`,
      `${file}:3:3: nginx.pid_fle: unknown key \`pid_fle\`: did you mean \`pid_file\`?`,
      `${file}:4:3: nginx.scirpt: unknown key \`scirpt\`: did you mean \`script\`?`,
    ].join('\n'),
  );
});

test('a missing file, a directory, a FIFO and an unreadable file are clear errors with no position', async (t) => {
  const fx = configFixture(t);
  const dir = fx.dir;
  const missing = await configError(join(dir, 'nope.yaml'));
  assert.deepEqual(missing.issues, [{ line: 0, col: 0, path: '', message: 'cannot open the config: no such file or directory (ENOENT)' }]);
  assert.equal((missing.cause as NodeJS.ErrnoException).code, 'ENOENT');
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  assert.equal((await configError(sub)).issues[0]!.message, 'expected a regular file, found a directory');
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  assert.equal((await configError(fifo)).issues[0]!.message, 'expected a regular file, found a FIFO');
  assert.equal((await configError('/dev/null')).issues[0]!.message, 'expected a regular file, found a device');
  const notDir = join(dir, 'file');
  writeFileSync(notDir, 'x');
  assert.equal(
    (await configError(join(notDir, 'conf.yaml'))).issues[0]!.message,
    'cannot open the config: a component of the path is not a directory (ENOTDIR)',
  );
  const loop = join(dir, 'loop');
  symlinkSync(loop, loop);
  assert.equal((await configError(loop)).issues[0]!.message, 'cannot open the config: too many levels of symbolic links (ELOOP)');
  if (process.getuid?.() !== 0) {
    const secret = fx.writeText('a: {pname: a, script: s}\n', 'secret.yaml');
    chmodSync(secret, 0o000);
    assert.equal((await configError(secret)).issues[0]!.message, 'cannot open the config: permission denied (EACCES)');
  }
});

test('a file bigger than the limit is refused by its size', async (t) => {
  const big = configFixture(t).writeText('a: b\n'.repeat(2_000_000), 'big.yaml');
  assert.deepEqual((await configError(big)).issues, [
    { line: 0, col: 0, path: '', message: 'expected a config of at most 1024 KiB, found 9766 KiB' },
  ]);
});

test('invalid UTF-8 and NUL bytes are located at line:col', async (t) => {
  const fx = configFixture(t);
  const cases: [string, Buffer, string][] = [
    [
      'latin1.yaml',
      Buffer.concat([Buffer.from('a:\n  pname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      '2:13: expected UTF-8 text, found an invalid byte sequence starting with 0xe9',
    ],
    [
      'after-utf8.yaml',
      Buffer.concat([Buffer.from('é: x\nsé'), Buffer.from([0xc3, 0x28])]),
      '2:3: expected UTF-8 text, found an invalid byte sequence starting with 0xc3',
    ],
    ['overlong.yaml', Buffer.from([0x61, 0xc0, 0xaf]), '1:2: expected UTF-8 text, found an invalid byte sequence starting with 0xc0'],
    ['surrogate.yaml', Buffer.from([0x0a, 0xed, 0xa0, 0x80]), '2:1: expected UTF-8 text, found an invalid byte sequence starting with 0xed'],
    ['truncated.yaml', Buffer.from([0x61, 0x62, 0xe2, 0x82]), '1:3: expected UTF-8 text, found an invalid byte sequence starting with 0xe2'],
    ['nul.yaml', Buffer.from('a:\n  pname: x\0y\n'), '2:11: expected text, found a NUL byte (a binary file?)'],
    ['nul-first.yaml', Buffer.from([0x00, 0xff]), '1:1: expected text, found a NUL byte (a binary file?)'],
  ];
  for (const [name, bytes, expected] of cases) {
    const file = fx.writeText(bytes, name);
    assert.equal((await configError(file)).message, `${file}:${expected}`, name);
  }
});

test('a UTF-8 byte order mark and CRLF line ends are fine', async (t) => {
  const fx = configFixture(t);
  const file = fx.writeText('\ufeffa:\r\n  pname: a\r\n  script: s\r\n', 'bom.yaml');
  assert.deepEqual(
    (await readConfig(file)).services.map((s) => [s.name, s.script]),
    [['a', 's']],
  );
  const bad = fx.writeText('\ufeffa:\r\n  pname: a\r\n  script: 5\r\n', 'bad.yaml');
  assert.equal((await configError(bad)).message, `${bad}:3:11: a.script: expected a non-empty string, found 5 (integer)`);
});

test('control characters in the path are escaped in the message', async () => {
  const error = await configError('/nonexistent/\x1b[2J.yaml');
  assert.equal(error.message, '/nonexistent/\\u001b[2J.yaml: cannot open the config: no such file or directory (ENOENT)');
});

test('readUpTo reads a file that grew past the size fstat gave, up to the limit', (t) => {
  const text = Buffer.from('x'.repeat(10_000));
  const file = configFixture(t).writeText(text, 'grown.yaml');
  const read = (limit: number, size: number): Buffer => {
    const fd = openSync(file, 'r');
    try {
      return Buffer.from(readUpTo(fd, limit, size));
    } finally {
      closeSync(fd);
    }
  };
  // A size of 0, as if fstat ran before the writer: the buffer grows from one byte.
  assert.deepEqual(read(20_000, 0), text);
  assert.deepEqual(read(4_000, 0), text.subarray(0, 4_000), 'never past the limit');
  assert.deepEqual(read(20_000, text.length), text);
});
