// TCP readiness of a name with several addresses: each is tried, as curl does, against real local sockets.
import type { LookupFunction } from 'node:net';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailures, probeTcp } from '../../src/probe/tcp.js';
import { fullBacklog, listenTcp, refusedPort } from './servers.js';

/** A resolver that answers every name with these addresses, in this order, without sending a query. */
const resolvesTo = (...addresses: string[]): LookupFunction =>
  ((_host: string, _options: unknown, callback: (err: null, found: { address: string; family: number }[]) => void) => {
    process.nextTick(() =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      ),
    );
  }) as unknown as LookupFunction;

test('probeTcp: a refused first address does not hide a listening second one', async (t) => {
  const server = await listenTcp();
  t.after(server.close);
  const result = await probeTcp('db.test', server.port, 5000, { lookup: resolvesTo('127.0.0.2', '127.0.0.1') });
  assert.equal(result.status, 'up');
  assert.match(result.reason, /^connected to 127\.0\.0\.1 in \d+ ms$/);
});

test('probeTcp: every address refused is one reason naming them all', async () => {
  const port = await refusedPort();
  const result = await probeTcp('db.test', port, 5000, { lookup: resolvesTo('127.0.0.2', '127.0.0.1', '127.0.0.1') });
  assert.deepEqual([result.status, result.reason], ['down', 'connection refused on 127.0.0.2 and 127.0.0.1']);
});

test('probeTcp: an address that never answers does not hold up the next one (tried beside it after a moment)', async (t) => {
  const silent = await fullBacklog();
  t.after(silent.close);
  // The same port on another loopback address, answering.
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(silent.port, '127.0.0.2', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const result = await probeTcp('db.test', silent.port, 20_000, { lookup: resolvesTo('127.0.0.1', '127.0.0.2') });
  assert.equal(result.status, 'up');
  assert.match(result.reason, /^connected to 127\.0\.0\.2 in \d+ ms$/);
  // Well before the timeout: the silent address was not waited out.
  assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
});

test('probeTcp: mixed failures are listed per address', () => {
  const failed = new Map([['::1', 'connection refused']]);
  assert.equal(describeFailures(['::1', '127.0.0.1'], failed, 300), '::1: connection refused; 127.0.0.1: no answer within 300 ms');
  assert.equal(describeFailures(['127.0.0.1'], new Map(), 300), 'no answer within 300 ms');
});

// The real resolver: localhost is ::1 as well as 127.0.0.1 in /etc/hosts, and a service on ::1 only must be found
// even on a host with no routable IPv6 address (where Node's default connect lookup leaves ::1 out).
const localhostV6 = await lookup('localhost', { all: true, hints: 0 }).then(
  (a) => a.some((x) => x.address === '::1'),
  () => false,
);
const canBindV6 = await new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false)).listen(0, '::1', () => s.close(() => resolve(true)));
});
const v6Skip = !canBindV6 ? 'no IPv6 loopback on this host' : !localhostV6 ? '/etc/hosts does not map localhost to ::1' : false;

test('probeTcp: a name whose IPv4 address is refused reaches its service on ::1', {
  skip: !canBindV6 && 'no IPv6 loopback on this host',
}, async (t) => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  const result = await probeTcp('db.test', port, 5000, { lookup: resolvesTo('127.0.0.1', '::1') });
  assert.equal(result.status, 'up', result.reason);
  assert.match(result.reason, /^connected to ::1 in \d+ ms$/);
});

test('probeTcp: localhost reaches a service listening on ::1 only', { skip: v6Skip }, async (t) => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  const result = await probeTcp('localhost', port, 5000);
  assert.equal(result.status, 'up', result.reason);
  assert.match(result.reason, /^connected to ::1 in \d+ ms$/);
});
