// Readiness by TCP connect.
import { connect, isIP, type LookupFunction } from 'node:net';
import type { ProbeResult } from './types.js';
import { describeNetError } from './net-errors.js';
import { startStopwatch } from './deadline.js';

/** Name resolution for a probe; tests inject one so that no query leaves the machine. */
export interface ResolveOptions {
  lookup?: LookupFunction;
}

/** Connects to host:port; up when the connection is established within timeoutMs (DNS included). */
export function probeTcp(host: string, port: number, timeoutMs: number, opts: ResolveOptions = {}): Promise<ProbeResult> {
  const elapsed = startStopwatch();
  return new Promise((resolve) => {
    let resolved = false;
    const socket = (() => {
      try {
        return connect(opts.lookup ? { host, port, lookup: opts.lookup } : { host, port });
      } catch (err) {
        // Invalid arguments (a port out of range) throw synchronously: a config problem, not a dead peer.
        resolve({ status: 'unknown', reason: describeNetError(err, host), ms: elapsed() });
        return undefined;
      }
    })();
    if (!socket) return;
    // 'lookup' fires only for names; an address literal needs none.
    let looked = isIP(host) !== 0;
    const finish = (status: ProbeResult['status'], reason: (ms: number) => string): void => {
      if (resolved) return;
      resolved = true;
      clearTimeout(timer);
      socket.destroy();
      const ms = elapsed();
      resolve({ status, reason: reason(ms), ms });
    };
    const timer = setTimeout(() => {
      finish('down', () => (looked ? `no answer within ${timeoutMs} ms` : `cannot resolve host \`${host}\` within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('lookup', () => (looked = true));
    socket.once('connect', () => finish('up', (ms) => `connected in ${ms} ms`));
    socket.once('error', (err) => finish('down', () => describeNetError(err, host)));
  });
}
