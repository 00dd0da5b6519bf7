// TCP readiness against real local sockets: listening, refused, a full accept queue, an unresolvable name.
import type { LookupFunction } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeTcp } from '../../src/probe/tcp.js';
import { describeNetError } from '../../src/probe/net-errors.js';
import { waitFor } from '../helpers/util.js';
import { fullBacklog, listenTcp, refusedPort } from './servers.js';

test('probeTcp: up when a local server accepts, and the socket is closed afterwards', async (t) => {
  const server = await listenTcp();
  t.after(server.close);
  const result = await probeTcp('127.0.0.1', server.port, 2000);
  assert.equal(result.status, 'up');
  assert.match(result.reason, /^connected in \d+ ms$/);
  assert.ok(result.ms >= 0 && result.ms < 2000);
  // The probe destroys its socket: the server side sees the connection end.
  const accepted = await waitFor(() => server.sockets[0], 'the server to accept');
  assert.ok(accepted);
  accepted.resume();
  await waitFor(() => accepted.readableEnded || accepted.destroyed, 'the probe to close its socket');
});

test('probeTcp: up through a name that resolves locally (localhost)', async (t) => {
  const server = await listenTcp();
  t.after(server.close);
  assert.equal((await probeTcp('localhost', server.port, 2000)).status, 'up');
});

test('probeTcp: down "connection refused" on a port nothing listens on', async () => {
  const port = await refusedPort();
  const result = await probeTcp('127.0.0.1', port, 2000);
  assert.deepEqual([result.status, result.reason], ['down', 'connection refused']);
});

test('probeTcp: down "no answer within" when the SYN is never answered (full accept queue)', async (t) => {
  const listener = await fullBacklog();
  t.after(listener.close);
  const started = Date.now();
  const result = await probeTcp('127.0.0.1', listener.port, 300);
  const took = Date.now() - started;
  assert.deepEqual([result.status, result.reason], ['down', 'no answer within 300 ms']);
  // It waited its whole timeout; the upper bound only says it did not hang (about 300 ms on an idle machine).
  assert.ok(took >= 290 && took < 10_000, `took ${took} ms`);
});

/** A resolver that knows no name, as DNS answers for a name under .invalid, without sending a query. */
const noSuchName: LookupFunction = (hostname, _options, callback) => {
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  process.nextTick(() => callback(err, '', 4));
};

// The resolver is injected: tests never send a DNS query off the machine.
test('probeTcp: down "cannot resolve host" for a name the resolver does not know', async () => {
  const result = await probeTcp('db.invalid', 5432, 5000, { lookup: noSuchName });
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^cannot resolve host `db\.invalid`/);
});

test('probeTcp: unknown for a port out of range (a config problem, not a dead peer)', async () => {
  const result = await probeTcp('127.0.0.1', 70000, 2000);
  assert.equal(result.status, 'unknown');
  assert.match(result.reason, /70000/);
});

test('describeNetError names the common failures', () => {
  const err = (code: string, message = code) => Object.assign(new Error(message), { code });
  assert.equal(describeNetError(err('ECONNREFUSED'), 'h'), 'connection refused');
  assert.equal(describeNetError(err('EHOSTUNREACH'), 'h'), 'host unreachable');
  assert.equal(describeNetError(err('ENETUNREACH'), 'h'), 'network unreachable');
  assert.equal(describeNetError(err('ENOTFOUND'), 'db.invalid'), 'cannot resolve host `db.invalid`');
  assert.match(describeNetError(err('EAI_AGAIN'), 'db'), /^cannot resolve host `db` \(DNS temporarily failing\)$/);
  assert.equal(describeNetError(new AggregateError([err('ECONNREFUSED'), err('ENETUNREACH')]), 'h'), 'connection refused');
  assert.equal(
    describeNetError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'h'),
    'TLS: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
  );
  assert.equal(describeNetError(err('HPE_INVALID_CONSTANT', 'Parse Error'), 'h'), 'invalid HTTP response (HPE_INVALID_CONSTANT)');
  assert.equal(describeNetError(err('EWEIRD', 'something odd'), 'h'), 'connection failed: something odd (EWEIRD)');
});
