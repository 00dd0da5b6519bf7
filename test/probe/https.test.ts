// HTTPS readiness against a local server with a certificate made by openssl in the test's temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { probeHttp } from '../../src/probe/http.js';
import { opensslMissing as skip, selfSigned, serveHttps } from '../helpers/tls.js';

// Runs probeHttp in a child whose trust store also holds `ca` (NODE_EXTRA_CA_CERTS is read at start only).
// Asynchronously: the server lives in this process and must keep answering.
async function probeTrusting(ca: string, url: string): Promise<{ status: string; reason: string }> {
  const moduleUrl = new URL('../../src/probe/http.js', import.meta.url).href;
  const script = `import(${JSON.stringify(moduleUrl)}).then(async (m) =>
    process.stdout.write(JSON.stringify(await m.probeHttp(${JSON.stringify(url)}, 5000))));`;
  const run = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 15_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  return JSON.parse(run.stdout) as { status: string; reason: string };
}

test('probeHttp over HTTPS: a self-signed certificate is refused, with the TLS error as the reason', { skip }, async (t) => {
  const server = await serveHttps(t, (dir) => selfSigned(dir, 'IP:127.0.0.1'));
  const result = await probeHttp(server.url, 5000);
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^TLS: self[- ]signed certificate.*\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/);
});

test('probeHttp over HTTPS: up when the certificate is trusted and names the host', { skip }, async (t) => {
  const server = await serveHttps(t, (dir) => selfSigned(dir, 'IP:127.0.0.1'));
  const result = await probeTrusting(server.pki.cert, server.url);
  assert.deepEqual([result.status, result.reason], ['up', 'HTTP 200']);
});

test('probeHttp over HTTPS: down when a trusted certificate names another host', { skip }, async (t) => {
  const server = await serveHttps(t, (dir) => selfSigned(dir, 'DNS:other-host.invalid'));
  const result = await probeTrusting(server.pki.cert, server.url);
  assert.equal(result.status, 'down');
  assert.match(result.reason, /^TLS: .*\(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
});
