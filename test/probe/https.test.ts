// HTTPS readiness against a local server with a certificate made by openssl in the test's temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { probeHttp } from '../../src/probe/http.js';
import { tempDir } from '../helpers/util.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

// A self-signed certificate for the given subjectAltName, and an HTTPS server using it on 127.0.0.1:0.
async function httpsServer(dir: string, altName: string) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=autoheal-test',
      '-addext',
      `subjectAltName=${altName}`,
    ],
    { stdio: 'ignore' },
  );
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url: `https://127.0.0.1:${port}/health`, cert, close };
}

// Runs probeHttp in a child whose trust store also holds `ca` (NODE_EXTRA_CA_CERTS is read at start only).
// Asynchronously: the server lives in this process and must keep answering.
async function probeTrusting(ca: string, url: string): Promise<{ status: string; reason: string }> {
  const moduleUrl = new URL('../../src/probe/http.js', import.meta.url).href;
  const script = `import(${JSON.stringify(moduleUrl)}).then(async (m) =>
    process.stdout.write(JSON.stringify(await m.probeHttp(${JSON.stringify(url)}, 5000))));`;
  const run = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 15_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  return JSON.parse(run.stdout) as { status: string; reason: string };
}

test('probeHttp over HTTPS: a self-signed certificate is refused, with the TLS error as the reason', {
  skip: !hasOpenssl && 'openssl is not installed',
}, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const server = await httpsServer(tmp.dir, 'IP:127.0.0.1');
  t.after(server.close);
  const result = await probeHttp(server.url, 5000);
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^TLS: self[- ]signed certificate.*\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/);
});

test('probeHttp over HTTPS: up when the certificate is trusted and names the host', {
  skip: !hasOpenssl && 'openssl is not installed',
}, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const server = await httpsServer(tmp.dir, 'IP:127.0.0.1');
  t.after(server.close);
  const result = await probeTrusting(server.cert, server.url);
  assert.deepEqual([result.status, result.reason], ['up', 'HTTP 200']);
});

test('probeHttp over HTTPS: down when a trusted certificate names another host', { skip: !hasOpenssl && 'openssl is not installed' }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const server = await httpsServer(tmp.dir, 'DNS:other-host.invalid');
  t.after(server.close);
  const result = await probeTrusting(server.cert, server.url);
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^TLS: .*\(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
});
