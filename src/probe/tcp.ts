// Readiness by TCP connect, on every address a host name resolves to (as curl does).
import type { LookupAddress } from 'node:dns';
import { connect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { ProbeResult, ProbeStatus } from './types.js';
import { describeNetError } from './net-errors.js';
import { startStopwatch } from './deadline.js';

/** Name resolution for a probe; tests inject one so that no query leaves the machine. */
export interface ResolveOptions {
  lookup?: LookupFunction;
}

/** How long an attempt on one address has before the next address is tried beside it (curl waits 200 ms). */
export const STAGGER_MS = 250;

/**
 * Connects to host:port; up when a connection is established within timeoutMs (DNS included). A name is
 * resolved to all its addresses, IPv6 and IPv4 alike whatever the host's own interfaces (Node's default lookup
 * for connect drops ::1 on a host without a routable IPv6 address). They are tried in the resolver's order: the
 * next one as soon as the previous fails, or after STAGGER_MS beside it; the first connection wins.
 */
export async function probeTcp(host: string, port: number, timeoutMs: number, opts: ResolveOptions = {}): Promise<ProbeResult> {
  const elapsed = startStopwatch();
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    // A config problem, not a dead peer: the config's checks make this unreachable.
    return { status: 'unknown', reason: `invalid port ${port}`, ms: elapsed() };
  }
  const family = isIP(host);
  let addresses: string[];
  if (family !== 0) {
    addresses = [host];
  } else {
    // Loaded on use: a pass that probes only addresses never needs the resolver.
    const lookup = opts.lookup ?? ((await import('node:dns')).lookup as LookupFunction);
    const resolved = await resolveAll(host, timeoutMs, lookup);
    if ('reason' in resolved) return { status: 'down', reason: resolved.reason, ms: elapsed() };
    addresses = resolved.addresses;
  }
  const result = await connectFirst(addresses, port, Math.max(1, timeoutMs - elapsed()), timeoutMs, family === 0);
  return { ...result, ms: elapsed() };
}

/** Every distinct address of `host`, or why there is none, within timeoutMs. */
function resolveAll(host: string, timeoutMs: number, lookup: LookupFunction): Promise<{ addresses: string[] } | { reason: string }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ reason: `cannot resolve host \`${host}\` within ${timeoutMs} ms` }), timeoutMs);
    try {
      lookup(host, { all: true, hints: 0 }, (err, found: string | LookupAddress[], family?: number) => {
        clearTimeout(timer);
        if (err) return resolve({ reason: describeNetError(err, host) });
        const list = typeof found === 'string' ? [{ address: found, family: family ?? isIP(found) }] : found;
        const addresses = [...new Set(list.map((a) => a.address))];
        resolve(addresses.length > 0 ? { addresses } : { reason: `cannot resolve host \`${host}\`` });
      });
    } catch (err) {
      clearTimeout(timer);
      resolve({ reason: describeNetError(err, host) });
    }
  });
}

/** Connects to the addresses, staggered; the first connection wins, every socket is destroyed before answering. */
function connectFirst(
  addresses: readonly string[],
  port: number,
  budgetMs: number,
  timeoutMs: number,
  named: boolean,
): Promise<Omit<ProbeResult, 'ms'>> {
  const elapsed = startStopwatch();
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const failed = new Map<string, string>();
    let started = 0;
    let done = false;
    let stagger: NodeJS.Timeout | undefined;
    const finish = (status: ProbeStatus, reason: string): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(stagger);
      for (const s of sockets) s.destroy();
      resolve({ status, reason });
    };
    const startNext = (): void => {
      clearTimeout(stagger);
      if (done || started >= addresses.length) return;
      const address = addresses[started++]!;
      const socket = connect({ host: address, port });
      sockets.push(socket);
      socket.once('connect', () => finish('up', named ? `connected to ${address} in ${elapsed()} ms` : `connected in ${elapsed()} ms`));
      socket.once('error', (err) => {
        failed.set(address, describeNetError(err, address));
        if (failed.size === addresses.length) finish('down', describeFailures(addresses, failed, timeoutMs));
        else startNext();
      });
      if (started < addresses.length) stagger = setTimeout(startNext, STAGGER_MS);
    };
    const overall = setTimeout(() => finish('down', describeFailures(addresses, failed, timeoutMs)), budgetMs);
    startNext();
  });
}

/**
 * Why no address answered: one reason when there was one address or they all failed alike
 * (`connection refused on ::1 and 127.0.0.1`), else each address with its own.
 */
export function describeFailures(addresses: readonly string[], failed: ReadonlyMap<string, string>, timeoutMs: number): string {
  const reasons = addresses.map((a) => failed.get(a) ?? `no answer within ${timeoutMs} ms`);
  if (addresses.length === 1) return reasons[0]!;
  if (reasons.every((r) => r === reasons[0])) return `${reasons[0]} on ${joinAnd(addresses)}`;
  return addresses.map((a, i) => `${a}: ${reasons[i]}`).join('; ');
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
