// What a pass loads only when a config needs it (the resolver for a host name, a ca_file read, the TLS stack), and
// the flags cron may pass, end to end: the single executable loads Node's modules otherwise than `node bundle.cjs`
// does, so these run against it too (AUTOHEAL_TEST_COMMAND=binary, in npm test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { hangingServer, runCli } from '../helpers/cli.js';
import { configFixture } from '../helpers/config-fixture.js';
import { opensslMissing, privateCa, serveHttps } from '../helpers/tls.js';

test('a TCP dependency by host name and an HTTPS one trusted through its ca_file both answer: the service is restarted', {
  skip: opensslMissing,
}, async (t) => {
  const fx = configFixture(t);
  const db = await hangingServer();
  fx.defer(db.close);
  const web = await serveHttps(t, privateCa);
  fx.write({
    app: {
      pid_file: fx.path('app.pid'),
      script: `touch ${fx.path('ran')}`,
      dep: [
        { name: 'db', host: 'localhost', port: db.port },
        { name: 'web', url: web.url, ca_file: web.pki.ca },
      ],
    },
  });
  const run = await runCli(fx.args('--verbose'));
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /^app +restarted /m);
  assert.match(run.stdout, new RegExp(`^ +dep db \\(tcp localhost:${db.port}\\): up, connected to 127\\.0\\.0\\.1 `, 'm'));
  assert.match(run.stdout, /^ +dep web \(https:\/\/127\.0\.0\.1:\d+\/health\): up, HTTP 200 /m);
  assert.equal(run.code, 1, run.stdout);
  assert.ok(existsSync(fx.path('ran')), 'the restart script ran');
  assert.ok(db.accepted() > 0, 'the probe reached the server by its name');
});

test('--quiet: a pass that restarts prints nothing and exits 1; validate --quiet prints nothing and exits 0', async (t) => {
  const fx = configFixture(t);
  fx.write({ app: { pid_file: fx.path('app.pid'), script: `touch ${fx.path('ran')}` } });
  const pass = await runCli(fx.args('--quiet'));
  assert.deepEqual([pass.code, pass.stdout, pass.stderr], [1, '', '']);
  assert.ok(existsSync(fx.path('ran')), 'the restart script ran');
  const validate = await runCli(['validate', '--quiet', '--config', fx.config]);
  assert.deepEqual([validate.code, validate.stdout, validate.stderr], [0, '', '']);
});
