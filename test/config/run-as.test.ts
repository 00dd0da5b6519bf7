// user, group, cwd, env and umask: read per service and in defaults, merged, refused with the operator's message;
// unknown accounts are config errors with a did-you-mean from the local accounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAccountIssues, type AccountBook } from '../../src/config/accounts.js';
import { parseConfigText } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/parse.js';
import { ConfigError } from '../../src/errors.js';
import { configFixture } from '../helpers/config-fixture.js';

const svc = (extra: string) => `a:\n  pname: a\n  script: /bin/true\n${extra}`;
const issuesOf = (text: string) => parseConfig(text).issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);

test('defaults give every service its run-as keys; a service overrides each, and env merges name by name', () => {
  const text = `defaults:\n  user: www\n  cwd: /srv\n  umask: 027\n  env: {A: "1", B: two}\n${svc('  user: app\n  group: staff\n  env:\n    B: 2\n    C: true\n')}b:\n  pname: b\n  script: /bin/true\n`;
  const { config, issues, accounts } = parseConfig(text);
  assert.deepEqual(issues, []);
  assert.deepEqual(config!.services[0]!.runAs, { user: 'app', group: 'staff', cwd: '/srv', umask: 0o27, env: { A: '1', B: '2', C: 'true' } });
  assert.deepEqual(config!.services[1]!.runAs, { user: 'www', cwd: '/srv', umask: 0o27, env: { A: '1', B: 'two' } });
  assert.deepEqual(
    accounts!.map((a) => `${a.line}:${a.col} ${a.path} ${a.kind} ${a.name}`),
    ['2:9 defaults.user user www', '9:9 a.user user app', '10:10 a.group group staff'],
  );
});

test('a config without these keys is read as before: no runAs, no accounts', () => {
  const { config, accounts } = parseConfig(svc(''));
  assert.equal(config!.services[0]!.runAs, undefined);
  assert.equal(accounts, undefined);
});

test('umask: octal digits as written, or a string; anything else is refused with what was expected', () => {
  for (const [written, mask] of [
    ['022', 0o22],
    ['0077', 0o77],
    ['"0027"', 0o27],
    ['"0o007"', 0o7],
    ['0', 0],
  ] as const) {
    assert.equal(parseConfig(svc(`  umask: ${written}\n`)).config!.services[0]!.runAs?.umask, mask, written);
  }
  assert.deepEqual(issuesOf(svc('  umask: 088\n')), ['4:10 a.umask: expected an octal umask such as 022, 027 or "0077", found 088 (integer)']);
  assert.deepEqual(issuesOf(svc('  umask: "1777"\n')), ['4:10 a.umask: expected an octal umask such as 022, 027 or "0077", found "1777" (string)']);
});

test("env: variable names and scalar values only; AUTOHEAL_* stays autoheal-once's", () => {
  assert.deepEqual(issuesOf(svc('  env:\n    1BAD: x\n    AUTOHEAL_SERVICE: y\n    OK: [1]\n')), [
    '5:5 a.env.1BAD: expected a variable name (letters, digits and _, not starting with a digit; AUTOHEAL_* is autoheal-once\'s own), found "1BAD" (string)',
    '6:5 a.env.AUTOHEAL_SERVICE: expected a variable name (letters, digits and _, not starting with a digit; AUTOHEAL_* is autoheal-once\'s own), found "AUTOHEAL_SERVICE" (string)',
    '7:9 a.env.OK: expected a string, number or boolean, found a list',
  ]);
  assert.deepEqual(issuesOf(svc('  env: FOO=1\n')), ['4:8 a.env: expected a mapping of environment variables (NAME: value), found "FOO=1" (string)']);
});

test('user and group: names only; cwd: an absolute path; misspelt keys get a did-you-mean', () => {
  assert.deepEqual(issuesOf(svc('  user: 1000\n  group: "-x"\n  cwd: srv\n  usr: a\n')), [
    '4:9 a.user: expected a user or group name (letters, digits, _ . -; not starting with a digit or -), found 1000 (integer)',
    '5:10 a.group: expected a user or group name (letters, digits, _ . -; not starting with a digit or -), found "-x" (string)',
    '6:8 a.cwd: expected an absolute path, found "srv" (string)',
    '7:3 a.usr: unknown key `usr`: did you mean `user`?',
  ]);
});

test('an account the host does not know is an issue at its place, with the closest local name', () => {
  const book: AccountBook = { users: ['root', 'www-data', 'postgres'], groups: ['root', 'staff'], exists: (_k, name) => name === 'ldapuser' };
  const refs = [
    { kind: 'user' as const, name: 'www-dat', line: 3, col: 9, path: 'a.user' },
    { kind: 'user' as const, name: 'ldapuser', line: 4, col: 9, path: 'b.user' },
    { kind: 'group' as const, name: 'stuff', line: 5, col: 10, path: 'b.group' },
    { kind: 'user' as const, name: 'zzzzzzzz', line: 6, col: 9, path: 'c.user' },
  ];
  assert.deepEqual(findAccountIssues(refs, book), [
    {
      line: 3,
      col: 9,
      path: 'a.user',
      message: 'expected a user of this host, found `www-dat`, which is not in the password database: did you mean `www-data`?',
    },
    {
      line: 5,
      col: 10,
      path: 'b.group',
      message: 'expected a group of this host, found `stuff`, which is not in the group database: did you mean `staff`?',
    },
    { line: 6, col: 9, path: 'c.user', message: 'expected a user of this host, found `zzzzzzzz`, which is not in the password database' },
  ]);
});

test('validate reads the real account databases: `roo` is not a user, and root is suggested', async (t) => {
  const file = configFixture(t).writeText(svc('  user: roo\n  group: root\n'));
  await assert.rejects(parseConfigText(svc('  user: roo\n  group: root\n'), file), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.issues, [
      {
        line: 4,
        col: 9,
        path: 'a.user',
        message: 'expected a user of this host, found `roo`, which is not in the password database: did you mean `root`?',
      },
    ]);
    return true;
  });
  const config = await parseConfigText(svc('  user: root\n  group: root\n'), file);
  assert.deepEqual(config.services[0]!.runAs, { user: 'root', group: 'root' });
});
