// Certificates that openssl makes in a test's temp dir, and an HTTPS server on 127.0.0.1, port 0, that uses one.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { missingTool } from './tools.js';
import { tempDir } from './util.js';

/** Why the HTTPS tests cannot run here, or undefined when openssl is installed. */
export const opensslMissing = missingTool('openssl', 'openssl');

export interface KeyPair {
  key: string;
  cert: string;
}

const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });

/** A new RSA key and a self-signed certificate for `subject`, valid two days; with `altName`, its subjectAltName. */
function selfSignedAs(key: string, cert: string, subject: string, altName?: string): void {
  const ext = altName === undefined ? [] : ['-addext', `subjectAltName=${altName}`];
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', subject, ...ext);
}

/** `<dir>/key.pem` and a self-signed `<dir>/cert.pem` naming `altName` (`IP:127.0.0.1`, `DNS:other-host.invalid`). */
export function selfSigned(dir: string, altName: string): KeyPair {
  const pair = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  selfSignedAs(pair.key, pair.cert, '/CN=autoheal-test', altName);
  return pair;
}

/** A private CA (`ca`), and a server certificate for 127.0.0.1 that it signed, all in `dir`. */
export function privateCa(dir: string): KeyPair & { ca: string } {
  const p = (name: string) => join(dir, name);
  selfSignedAs(p('ca.key'), p('ca.pem'), '/CN=autoheal test CA');
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

/** An HTTPS server answering `ok` with this key and certificate; `url` is its /health on 127.0.0.1. */
export async function httpsServer(pair: KeyPair): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer({ key: readFileSync(pair.key), cert: readFileSync(pair.cert) }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url: `https://127.0.0.1:${port}/health`, close };
}

/**
 * A temp dir, the certificates `make` writes in it, and an HTTPS server using them; after the test the server
 * closes and the dir goes.
 */
export async function serveHttps<P extends KeyPair>(t: TestContext, make: (dir: string) => P): Promise<{ dir: string; url: string; pki: P }> {
  const tmp = tempDir(t);
  const pki = make(tmp.dir);
  const server = await httpsServer(pki);
  t.after(server.close);
  return { dir: tmp.dir, url: server.url, pki };
}
