// HTTPS with a private CA (`ca_file`) and with a self-signed certificate (`tls_verify: false`), against local
// servers whose certificates openssl makes in the test's temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { probeHttp } from '../../src/probe/http.js';
import { tempDir } from '../helpers/util.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const skip = !hasOpenssl && 'openssl is not installed';
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });

async function serve(key: string, cert: string) {
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url: `https://127.0.0.1:${port}/health`, close };
}

/** A private CA, and a server certificate for 127.0.0.1 that it signed. */
function privateCa(dir: string): { ca: string; key: string; cert: string } {
  const p = (name: string) => join(dir, name);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=autoheal test CA',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.pem'),
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
  );
  return { ca: p('ca.pem'), key: p('server.key'), cert: p('server.pem') };
}

test('ca_file: a server signed by a private CA is up with that CA, and refused without it', { skip }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const pki = privateCa(tmp.dir);
  const server = await serve(pki.key, pki.cert);
  t.after(server.close);
  const trusted = await probeHttp(server.url, 5000, { caFile: pki.ca });
  assert.deepEqual([trusted.status, trusted.reason], ['up', 'HTTP 200']);
  const untrusted = await probeHttp(server.url, 5000);
  assert.equal(untrusted.status, 'down');
  assert.match(untrusted.reason, /^TLS: /);
});

test('ca_file: another CA does not vouch for the server; an unreadable CA file is unknown', { skip }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const pki = privateCa(tmp.dir);
  const server = await serve(pki.key, pki.cert);
  t.after(server.close);
  const other = join(tmp.dir, 'other');
  mkdirSync(other);
  const wrong = privateCa(other);
  assert.equal((await probeHttp(server.url, 5000, { caFile: wrong.ca })).status, 'down');
  const missing = await probeHttp(server.url, 5000, { caFile: join(tmp.dir, 'nope.pem') });
  assert.deepEqual([missing.status, missing.reason], ['unknown', `cannot read ca_file ${join(tmp.dir, 'nope.pem')}: ENOENT`]);
});

test('tls_verify: false accepts a self-signed certificate that is refused by default', { skip }, async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const key = join(tmp.dir, 'key.pem');
  const cert = join(tmp.dir, 'cert.pem');
  openssl(
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
    '/CN=self-signed',
    '-addext',
    'subjectAltName=DNS:elsewhere.invalid',
  );
  const server = await serve(key, cert);
  t.after(server.close);
  assert.equal((await probeHttp(server.url, 5000)).status, 'down');
  const insecure = await probeHttp(server.url, 5000, { tlsVerify: false });
  assert.deepEqual([insecure.status, insecure.reason], ['up', 'HTTP 200']);
});
