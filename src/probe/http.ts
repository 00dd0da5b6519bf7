// HTTP(S) readiness probe: one GET bounded by a single timeout; 2xx and 3xx are ready.
import type { ProbeResult, ProbeStatus } from './types.js';
import type { IncomingMessage } from 'node:http';
import { constants } from 'node:fs';
import { describeNetError } from './net-errors.js';
import { startStopwatch, withDeadline } from './deadline.js';
import type { ResolveOptions } from './tcp.js';

/**
 * Ready on 2xx and 3xx: a redirect is an answer from a running server (redirects are not followed, so a
 * login redirect does not make the probe depend on a second host). 4xx and 5xx are not ready.
 */
export function classifyHttpStatus(code: number, location?: string): { status: ProbeStatus; reason: string } {
  if (code >= 200 && code < 300) return { status: 'up', reason: `HTTP ${code}` };
  if (code >= 300 && code < 400) {
    const to = location ? `redirect to \`${location.slice(0, 200)}\`` : 'redirect';
    return { status: 'up', reason: `HTTP ${code} (${to}, not followed)` };
  }
  return { status: 'down', reason: `HTTP ${code}` };
}

/** How much of a body is read before the probe stops reading: the status is known by then. */
export const MAX_BODY_BYTES = 64 * 1024;

/** How an HTTPS server's certificate is checked. */
export interface TlsOptions {
  /** A PEM file of the CAs to trust instead of the system's. */
  caFile?: string;
  /** false: accept any certificate (insecure, for self-signed ones). */
  tlsVerify?: false;
}

/**
 * GETs the URL without following redirects or keeping the connection. timeoutMs covers DNS, connecting, TLS
 * and the whole response: headers followed by a stalled body is a timeout, not up. Certificates are verified
 * against the system's CAs, or those of `caFile`, unless `tlsVerify` is false.
 */
export async function probeHttp(
  url: string,
  timeoutMs: number,
  opts: ResolveOptions & TlsOptions & { maxBodyBytes?: number } = {},
): Promise<ProbeResult> {
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const elapsed = startStopwatch();
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { status: 'unknown', reason: `invalid URL \`${url}\``, ms: elapsed() };
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return { status: 'unknown', reason: `unsupported URL scheme \`${target.protocol}\``, ms: elapsed() };
  }
  // Loaded here: http, https and tls would cost every pass, most of which probe no URL, a few ms of start-up.
  const { httpRequest, httpsRequest, lookupEveryAddress } = await import('./http-client.js');
  const https = target.protocol === 'https:';
  const request = https ? httpsRequest : httpRequest;
  const host = target.hostname;
  let ca: Buffer | undefined;
  if (https && opts.caFile !== undefined) {
    const read = await readCaFile(opts.caFile, timeoutMs);
    if ('reason' in read) return { status: 'unknown', reason: read.reason, ms: elapsed() };
    ca = read.ca;
  }
  const tls = { ...(ca ? { ca } : {}), ...(https && opts.tlsVerify === false ? { rejectUnauthorized: false } : {}) };

  return new Promise((resolve) => {
    let resolved = false;
    let response: IncomingMessage | undefined;
    const headers = { 'user-agent': 'autoheal-once', connection: 'close' };
    const req = request(target, { method: 'GET', agent: false, headers, lookup: opts.lookup ?? lookupEveryAddress, ...tls });
    const finish = (status: ProbeResult['status'], reason: string): void => {
      if (resolved) return;
      resolved = true;
      clearTimeout(timer);
      response?.destroy();
      req.destroy();
      resolve({ status, reason, ms: elapsed() });
    };
    const timer = setTimeout(() => {
      const got = response ? ` (HTTP ${response.statusCode} headers, then the body stalled)` : '';
      finish('down', `no complete response within ${timeoutMs} ms${got}`);
    }, timeoutMs);
    req.once('error', (err) => finish('down', describeNetError(err, host)));
    req.once('response', (res) => {
      response = res;
      const verdict = classifyHttpStatus(res.statusCode ?? 0, res.headers.location);
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Enough read to know the server answers; stop here instead of downloading a large body.
        if (bytes >= maxBodyBytes) finish(verdict.status, verdict.reason);
      });
      res.once('end', () => finish(verdict.status, verdict.reason));
      res.once('aborted', () => finish('down', `HTTP ${res.statusCode} response cut short`));
      res.once('error', () => finish('down', `HTTP ${res.statusCode} response cut short`));
    });
    req.end();
  });
}

/** The CA file's bytes, read within the probe's bound (an unreadable file is `unknown`: nothing was asked yet). */
async function readCaFile(path: string, timeoutMs: number): Promise<{ ca: Buffer } | { reason: string }> {
  const { readFile } = await import('node:fs/promises');
  try {
    const read = await withDeadline(readFile(path, { flag: constants.O_RDONLY | constants.O_NONBLOCK }), timeoutMs);
    return read.timedOut ? { reason: `no answer reading ca_file ${path} within ${timeoutMs} ms` } : { ca: read.value };
  } catch (err) {
    return { reason: `cannot read ca_file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}
