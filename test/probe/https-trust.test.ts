// HTTPS with a private CA (`ca_file`) and with a self-signed certificate (`tls_verify: false`), against local
// servers whose certificates openssl makes in the test's temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { probeHttp } from '../../src/probe/http.js';
import { opensslMissing as skip, privateCa, selfSigned, serveHttps } from '../helpers/tls.js';

test('ca_file: a server signed by a private CA is up with that CA, and refused without it', { skip }, async (t) => {
  const { url, pki } = await serveHttps(t, privateCa);
  const trusted = await probeHttp(url, 5000, { caFile: pki.ca });
  assert.deepEqual([trusted.status, trusted.reason], ['up', 'HTTP 200']);
  const untrusted = await probeHttp(url, 5000);
  assert.equal(untrusted.status, 'down');
  assert.match(untrusted.reason, /^TLS: /);
});

test('ca_file: another CA does not vouch for the server; an unreadable CA file is unknown', { skip }, async (t) => {
  const { dir, url } = await serveHttps(t, privateCa);
  const other = join(dir, 'other');
  mkdirSync(other);
  const wrong = privateCa(other);
  assert.equal((await probeHttp(url, 5000, { caFile: wrong.ca })).status, 'down');
  const missing = await probeHttp(url, 5000, { caFile: join(dir, 'nope.pem') });
  assert.deepEqual([missing.status, missing.reason], ['unknown', `cannot read ca_file ${join(dir, 'nope.pem')}: ENOENT`]);
});

test('tls_verify: false accepts a self-signed certificate that is refused by default', { skip }, async (t) => {
  const { url } = await serveHttps(t, (dir) => selfSigned(dir, 'DNS:elsewhere.invalid'));
  assert.equal((await probeHttp(url, 5000)).status, 'down');
  const insecure = await probeHttp(url, 5000, { tlsVerify: false });
  assert.deepEqual([insecure.status, insecure.reason], ['up', 'HTTP 200']);
});
