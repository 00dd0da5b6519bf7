// The restart environment: inherited, tagged with the service and reason, with a usable PATH under cron.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRestartEnv, FULL_PATH } from '../../src/act/env.js';

test('adds AUTOHEAL_SERVICE and AUTOHEAL_REASON to the inherited environment', () => {
  const env = buildRestartEnv({ HOME: '/root', LANG: 'C.UTF-8', PATH: '/opt/bin:/usr/bin' }, 'web', 'not running');
  assert.deepEqual(env, {
    HOME: '/root',
    LANG: 'C.UTF-8',
    PATH: '/opt/bin:/usr/bin',
    AUTOHEAL_SERVICE: 'web',
    AUTOHEAL_REASON: 'not running',
  });
});

test('replaces a missing, empty or cron-minimal PATH with the full one', () => {
  assert.equal(buildRestartEnv({}, 's', 'r').PATH, FULL_PATH);
  assert.equal(buildRestartEnv({ PATH: '' }, 's', 'r').PATH, FULL_PATH);
  assert.equal(buildRestartEnv({ PATH: '/usr/bin:/bin' }, 's', 'r').PATH, FULL_PATH);
  assert.equal(buildRestartEnv({ PATH: undefined }, 's', 'r').PATH, FULL_PATH);
  assert.equal(FULL_PATH, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
});

test('keeps any other PATH as the operator set it', () => {
  assert.equal(buildRestartEnv({ PATH: '/bin:/usr/bin' }, 's', 'r').PATH, '/bin:/usr/bin');
});

test('our variables win over inherited ones, undefined values and NUL bytes are dropped', () => {
  const env = buildRestartEnv({ AUTOHEAL_SERVICE: 'old', GONE: undefined, X: 'a\0b' }, 'we\0b', 'r');
  assert.equal(env.AUTOHEAL_SERVICE, 'web');
  assert.equal(env.X, 'ab');
  assert.ok(!('GONE' in env));
});

test('does not modify the base object', () => {
  const base = { PATH: '/usr/bin:/bin' };
  buildRestartEnv(base, 's', 'r');
  assert.deepEqual(base, { PATH: '/usr/bin:/bin' });
});
