// probeKey (pure) and probeDependencies: one probe per distinct target, whoever lists it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dependency, RunAs } from '../../src/config/types.js';
import { probeKey } from '../../src/probe/deps.js';
import { probeDependencies } from '../../src/probe/deps.js';
import { waitFor } from '../helpers/util.js';
import { listenTcp, refusedPort } from './servers.js';

const tcp = (name: string, host: string, port: number, timeoutMs = 5000): Dependency => ({
  name,
  probe: { kind: 'tcp', host, port },
  timeoutMs,
  internal: false,
});
const http = (name: string, url: string, timeoutMs = 5000): Dependency => ({ name, probe: { kind: 'http', url }, timeoutMs, internal: false });
const service = (name: string): Dependency => ({ name, probe: { kind: 'service' }, timeoutMs: 5000, internal: true });

test('probeKey names the kind, the target and the timeout', () => {
  assert.equal(probeKey(tcp('nginx', '127.0.0.1', 80)), 'tcp 127.0.0.1:80 5000ms');
  assert.equal(probeKey(tcp('db', '::1', 5432, 200)), 'tcp [::1]:5432 200ms');
  assert.equal(probeKey(http('mw', 'http://127.0.0.1/check.htm')), 'http http://127.0.0.1/check.htm 5000ms');
  assert.equal(probeKey(service('nginx')), 'service nginx');
});

test('probeKey: the same target under different dependency names is one key; another timeout is another', () => {
  assert.equal(probeKey(tcp('nginx', '127.0.0.1', 80)), probeKey(tcp('frontend', '127.0.0.1', 80)));
  assert.notEqual(probeKey(tcp('nginx', '127.0.0.1', 80)), probeKey(tcp('nginx', '127.0.0.1', 80, 1000)));
  assert.notEqual(probeKey(tcp('nginx', '127.0.0.1', 80)), probeKey(tcp('nginx', '127.0.0.1', 81)));
});

const command = (runAs?: RunAs): Dependency => ({
  name: 'queue',
  probe: { kind: 'command', command: 'redis-cli ping', ...(runAs === undefined ? {} : { runAs }) },
  timeoutMs: 5000,
  internal: false,
});

test('probeKey: one command run as two users (or cwds, envs, umasks) is two probes; env written in another order is one', () => {
  assert.equal(probeKey(command()), 'command "redis-cli ping" 5000ms');
  const keys = [
    command(),
    command({ user: 'app' }),
    command({ user: 'web' }),
    command({ user: 'app', group: 'adm' }),
    command({ user: 'app', cwd: '/srv' }),
    command({ user: 'app', umask: 0o27 }),
    command({ user: 'app', env: { A: '1' } }),
  ].map(probeKey);
  assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
  assert.equal(probeKey(command({ env: { A: '1', B: '2' } })), probeKey(command({ env: { B: '2', A: '1' } })));
});

test('probeDependencies probes a target listed by three services once, and skips service dependencies', async (t) => {
  const server = await listenTcp();
  t.after(server.close);
  const refused = await refusedPort();
  const deps = [
    tcp('nginx', '127.0.0.1', server.port),
    tcp('frontend', '127.0.0.1', server.port),
    tcp('nginx', '127.0.0.1', server.port),
    tcp('gone', '127.0.0.1', refused),
    service('nginx'),
  ];
  const results = await probeDependencies(deps, 8);
  assert.deepEqual([...results.keys()].sort(), [probeKey(deps[0]!), probeKey(deps[3]!)].sort());
  assert.equal(results.get(probeKey(deps[1]!))?.status, 'up');
  assert.equal(results.get(probeKey(deps[3]!))?.reason, 'connection refused');
  // The client saw its connection established; the server's accept may trail it by a tick.
  await waitFor(() => server.sockets.length >= 1, 'the server to accept');
  assert.equal(server.sockets.length, 1, 'one connection for three listings');
});
