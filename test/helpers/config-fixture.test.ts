// The fixture builder writes what the tests mean: every value reaches the parsed config exactly, whatever it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseConfig } from '../../src/config/parse.js';
import { configFixture, configYaml } from './config-fixture.js';

test('configYaml: block YAML that parses back to the same names, scripts, keys and dependencies', () => {
  const script = `echo "it's # not a comment: {x}" >> '/tmp/a b'; exit 0 &`;
  const text = configYaml(
    {
      web: {
        pid_file: '/run/web.pid',
        script,
        start_grace: '1ms',
        max_restarts: 7,
        detach: true,
        dep: [{ name: 'db', host: '127.0.0.1', port: 5432 }, { name: 'api' }],
      },
      api: { pname: 'api', script: 'exit 0', dep: [], probe_timeout: undefined },
      'odd: name #1': { pname: 'x', script: 'line one\nline two\ttab' },
      db: { pname: 'db', script: 'exit 0' },
    },
    { restart_timeout: '2m' },
  );
  assert.equal(text.split('\n')[0], 'defaults:');
  const { config, issues } = parseConfig(text);
  assert.deepEqual(issues, []);
  const byName = new Map(config!.services.map((s) => [s.name, s]));
  assert.deepEqual([...byName.keys()], ['web', 'api', 'odd: name #1', 'db']);
  const web = byName.get('web')!;
  assert.deepEqual([web.pidFile, web.script, web.policy.startGraceMs, web.policy.maxRestarts, web.detach], ['/run/web.pid', script, 1, 7, true]);
  assert.deepEqual(
    web.deps.map((d) => [d.name, d.probe]),
    [
      ['db', { kind: 'tcp', host: '127.0.0.1', port: 5432 }],
      ['api', { kind: 'service' }],
    ],
  );
  assert.equal(web.restartTimeoutMs, 120_000, 'defaults apply');
  assert.deepEqual(byName.get('api')!.deps, []);
  assert.equal(byName.get('odd: name #1')!.script, 'line one\nline two\ttab');
});

test('configFixture: conf.yaml 0600 in a temp dir, the arguments of a pass, deferred steps before the dir goes', async (t) => {
  let dir = '';
  const order: string[] = [];
  await t.test('a test using it', (inner) => {
    const fx = configFixture(inner);
    dir = fx.dir;
    const config = fx.write({ web: { pname: 'web', script: 'exit 0' } });
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.match(readFileSync(config, 'utf8'), /^web:\n {2}pname: "web"\n {2}script: "exit 0"\n$/);
    assert.deepEqual(fx.args('--json'), ['--config', config, '--state-dir', fx.path('state'), '--json']);
    fx.defer(() => order.push(`first deferred, dir there: ${existsSync(dir)}`));
    fx.defer(() => order.push(`last deferred, dir there: ${existsSync(dir)}`));
  });
  assert.deepEqual(order, ['last deferred, dir there: true', 'first deferred, dir there: true']);
  assert.equal(existsSync(dir), false, 'the temp dir is removed after the test');
});

test('configFixture: writeText keeps text and bytes exact, 0600, under any name; shared opens the dir to others', (t) => {
  const fx = configFixture(t);
  assert.equal(statSync(fx.dir).mode & 0o777, 0o700);
  const text = 'a:\r\n  pname: "\\e[2J"\t# kept as written\n';
  assert.equal(fx.writeText(text), fx.config);
  assert.equal(readFileSync(fx.config, 'utf8'), text);
  const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x00, 0xff]);
  const second = fx.writeText(bytes, 'b.yaml');
  assert.equal(second, fx.path('b.yaml'));
  assert.deepEqual(readFileSync(second), bytes);
  for (const path of [fx.config, second]) assert.equal(statSync(path).mode & 0o777, 0o600, path);
  assert.equal(statSync(configFixture(t, { shared: true }).dir).mode & 0o777, 0o755);
});
