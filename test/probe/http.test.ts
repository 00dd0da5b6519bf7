// HTTP readiness against real local servers, including raw byte replays for odd responses.
import type { LookupFunction } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeHttp, MAX_BODY_BYTES } from '../../src/probe/http.js';
import { classifyHttpStatus } from '../../src/probe/http.js';
import { waitFor } from '../helpers/util.js';
import { listenTcp, refusedPort, replayHttp } from './servers.js';

type Handler = (status: number, headers: IncomingHttpHeaders) => { status: number; headers?: Record<string, string>; body?: string };

// A real node:http server on 127.0.0.1:0 that records each request's headers.
async function httpServer(handler: Handler = () => ({ status: 200, body: 'ok' })) {
  const requests: IncomingHttpHeaders[] = [];
  let closedSockets = 0;
  const server = createServer((req, res) => {
    requests.push(req.headers);
    const answer = handler(requests.length, req.headers);
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  });
  server.on('connection', (socket) => socket.once('close', () => closedSockets++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/check.htm`,
    requests,
    closedSockets: () => closedSockets,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test('classifyHttpStatus: 2xx and 3xx are ready, 4xx and 5xx are not', () => {
  assert.deepEqual(classifyHttpStatus(200), { status: 'up', reason: 'HTTP 200' });
  assert.deepEqual(classifyHttpStatus(204), { status: 'up', reason: 'HTTP 204' });
  assert.deepEqual(classifyHttpStatus(302, '/login'), { status: 'up', reason: 'HTTP 302 (redirect to `/login`, not followed)' });
  assert.deepEqual(classifyHttpStatus(304), { status: 'up', reason: 'HTTP 304 (redirect, not followed)' });
  assert.deepEqual(classifyHttpStatus(404), { status: 'down', reason: 'HTTP 404' });
  assert.deepEqual(classifyHttpStatus(503), { status: 'down', reason: 'HTTP 503' });
  assert.equal(classifyHttpStatus(199).status, 'down');
});

test('probeHttp: up on HTTP 200, one GET per probe, without keep-alive', async (t) => {
  const server = await httpServer();
  t.after(server.close);
  const result = await probeHttp(server.url, 2000);
  assert.deepEqual([result.status, result.reason], ['up', 'HTTP 200']);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]?.connection, 'close');
  assert.equal(server.requests[0]?.['user-agent'], 'autoheal-once');
  await waitFor(() => server.closedSockets() === 1, 'the connection to be closed after the probe');
});

test('probeHttp: down on HTTP 500 and 503, with the status as the reason', async (t) => {
  for (const status of [500, 503]) {
    const server = await httpServer(() => ({ status, body: 'broken' }));
    t.after(server.close);
    const result = await probeHttp(server.url, 2000);
    assert.deepEqual([result.status, result.reason], ['down', `HTTP ${status}`]);
  }
});

test('probeHttp: a 301 is up and is not followed', async (t) => {
  const target = await httpServer();
  t.after(target.close);
  const redirecting = await httpServer(() => ({ status: 301, headers: { location: target.url } }));
  t.after(redirecting.close);
  const result = await probeHttp(redirecting.url, 2000);
  assert.deepEqual([result.status, result.reason], ['up', `HTTP 301 (redirect to \`${target.url}\`, not followed)`]);
  assert.equal(redirecting.requests.length, 1);
  assert.equal(target.requests.length, 0, 'the redirect target was never asked');
});

test('probeHttp: a response replayed byte for byte (chunked) is read to its end', async (t) => {
  const server = await replayHttp('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n');
  t.after(server.close);
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 2000);
  assert.deepEqual([result.status, result.reason], ['up', 'HTTP 200']);
});

test('probeHttp: headers then a stalled body is a timeout, not up', async (t) => {
  const server = await replayHttp('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part');
  t.after(server.close);
  const started = Date.now();
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 300);
  const took = Date.now() - started;
  assert.equal(result.status, 'down');
  assert.equal(result.reason, 'no complete response within 300 ms (HTTP 200 headers, then the body stalled)');
  // It waited its whole timeout; the upper bound only says it did not hang (about 300 ms on an idle machine).
  assert.ok(took >= 290 && took < 10_000, `took ${took} ms`);
});

test('probeHttp: a server that accepts and never answers is a timeout', async (t) => {
  const server = await listenTcp();
  t.after(server.close);
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 300);
  assert.deepEqual([result.status, result.reason], ['down', 'no complete response within 300 ms']);
});

test('probeHttp: a body cut short by the server is down', async (t) => {
  const server = await replayHttp('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part', { end: true });
  t.after(server.close);
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 2000);
  assert.deepEqual([result.status, result.reason], ['down', 'HTTP 200 response cut short']);
});

test('probeHttp: bytes that are not HTTP are down with the parser error', async (t) => {
  const server = await replayHttp('SSH-2.0-OpenSSH_9.6\r\n', { end: true });
  t.after(server.close);
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 2000);
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^invalid HTTP response \(HPE_[A-Z_]+\)$/);
});

test('probeHttp: a 10 MB body is not downloaded: the probe stops reading after its bound', async (t) => {
  const total = 10 * 1024 * 1024;
  let accepted = 0;
  let finished = false;
  const server = await listenTcp((socket) => {
    socket.once('data', async () => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // Write with backpressure so `accepted` counts what the kernel took, not what node queued.
      while (accepted < total && !socket.destroyed) {
        accepted += chunk.length;
        if (!socket.write(chunk)) await new Promise((resolve) => (socket.once('drain', resolve), socket.once('close', resolve)));
      }
      finished = accepted >= total && !socket.destroyed;
    });
  });
  t.after(server.close);
  const result = await probeHttp(`http://127.0.0.1:${server.port}/`, 5000);
  assert.deepEqual([result.status, result.reason], ['up', 'HTTP 200']);
  const socket = await waitFor(() => server.sockets[0], 'the accepted socket');
  assert.ok(socket);
  await waitFor(() => socket.destroyed, 'the server to see the probe close the connection');
  assert.equal(finished, false, `the server managed to send all ${total} bytes`);
  assert.ok(accepted < total, `server wrote ${accepted} bytes (bound ${MAX_BODY_BYTES})`);
  t.diagnostic(`the server got ${accepted} of ${total} bytes into the connection before the probe closed it`);
});

/** A resolver that knows no name, as DNS answers for a name under .invalid, without sending a query. */
const noSuchName: LookupFunction = (hostname, _options, callback) => {
  const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  process.nextTick(() => callback(err, '', 4));
};

// The resolver is injected: tests never send a DNS query off the machine.
test('probeHttp: down "connection refused" and "cannot resolve host"', async () => {
  const port = await refusedPort();
  const refused = await probeHttp(`http://127.0.0.1:${port}/`, 2000);
  assert.deepEqual([refused.status, refused.reason], ['down', 'connection refused']);
  const unresolved = await probeHttp('http://middleware.invalid/check.htm', 5000, { lookup: noSuchName });
  assert.equal(unresolved.status, 'down');
  assert.match(unresolved.reason, /^cannot resolve host `middleware\.invalid`/);
});

test('probeHttp: unknown for a URL it cannot use', async () => {
  assert.deepEqual((await probeHttp('not a url', 2000)).status, 'unknown');
  const ftp = await probeHttp('ftp://127.0.0.1/x', 2000);
  assert.deepEqual([ftp.status, ftp.reason], ['unknown', 'unsupported URL scheme `ftp:`']);
});
