// The probes of one pass, at the edge: one /proc scan for every name lookup, each dependency target once.
import type { Dependency, Service } from '../config/types.js';
import { readBootTimeMs } from './proc.js';
import { probeDependencies, probeTarget } from './deps.js';
import { withDeadline } from './deadline.js';
import { readUsage } from './usage.js';
import { probeKey } from './deps.js';
import { needsProcessScan, probeByName, probeLiveness } from './liveness.js';
import { runBounded } from '../util/bounded.js';
import { completeArgv0, findProcesses, scanProcesses, type ProcessTable } from './proc.js';
import type { ProbeResult } from './types.js';
import type { AccountLookup } from '../util/accounts.js';

/** Liveness by service name. The scan happens only when some service is looked up by name. */
export async function observeLiveness(services: readonly Service[], limit: number): Promise<Map<string, ProbeResult>> {
  const exclude = new Set([process.pid]);
  const table = needsProcessScan(services) ? tryScanProcesses(services, exclude) : undefined;
  const bootTimeMs = services.some((s) => s.pidFile !== undefined) ? readBootTimeMs() : undefined;
  const options = bootTimeMs === undefined ? { exclude } : { exclude, bootTimeMs };
  // Only pid files need I/O (on the thread pool); a lookup by name alone is answered here, in one loop.
  const results = new Map<string, ProbeResult>();
  const withPidFile: Service[] = [];
  for (const s of services) {
    if (s.pidFile === undefined) results.set(s.name, probeByName(s, table, options).result);
    else withPidFile.push(s);
  }
  const read = await runBounded(
    withPidFile.map((s) => async () => (await probeLiveness(s, table, options)).result),
    limit,
  );
  withPidFile.forEach((s, i) => {
    results.set(s.name, read[i]!);
  });
  return new Map(services.map((s) => [s.name, results.get(s.name)!]));
}

/** Readiness by dependency; probeDependencies probes each distinct target once. */
export async function observeReadiness(deps: readonly Dependency[], limit: number, accounts?: AccountLookup): Promise<Map<Dependency, ProbeResult>> {
  const byKey = await probeDependencies(deps, limit, accounts);
  return new Map(deps.map((dep) => [dep, byKey.get(probeKey(dep))!]));
}

/**
 * The process table for the lookups by name, read as little as decides every status exactly: comm of every
 * process (one read each); then, for a name the kernel cut at 15 characters, argv[0] of the processes with that cut
 * comm; then, only while some service without a pid file still has no live process of its name, argv[0] of all. A
 * service found early lists only the processes found by then.
 * An unreadable /proc leaves the services looked up by name unknown (never restarted), not the whole pass.
 */
function tryScanProcesses(services: readonly Service[], exclude: ReadonlySet<number>): ProcessTable | undefined {
  try {
    let table = scanProcesses('/proc', { withArgv0: false });
    const undecided = (): string[] =>
      services.flatMap((s) =>
        s.pidFile === undefined && s.pname !== undefined && findProcesses(table, s.pname, exclude).alive.length === 0 ? [s.pname] : [],
      );
    let names = undecided();
    if (names.length === 0) return table;
    const cut = new Set(names.filter((n) => n.length > 15).map((n) => n.slice(0, 15)));
    if (cut.size > 0) {
      table = completeArgv0(table, '/proc', (p) => cut.has(p.comm));
      names = undecided();
    }
    return names.length === 0 ? table : completeArgv0(table);
  } catch {
    return undefined;
  }
}

/** A running service's check result and process usage, as the decision reads them (see plan/health.ts). */
export interface HealthObservation {
  check?: ProbeResult;
  usage?: { rssBytes: number; cpuTimeMs: number; uptimeMs: number };
}

/** Bound on reading usage for limits: pidusage reads /proc on the thread pool. */
const USAGE_TIMEOUT_MS = 2000;

/**
 * Checks and usage of the running services that have health settings, all at once (checks at most `limit` in
 * flight). Nothing is probed or loaded when no running service has them.
 */
export async function observeHealth(
  services: readonly Service[],
  liveness: ReadonlyMap<string, ProbeResult>,
  limit: number,
  accounts?: AccountLookup,
): Promise<Map<string, HealthObservation>> {
  const running = services.filter((s) => s.health && liveness.get(s.name)?.status === 'up');
  const seen = new Map<string, HealthObservation>(running.map((s) => [s.name, {}]));
  if (running.length === 0) return seen;
  const checked = running.filter((s) => s.health!.check);
  const limited = running.filter((s) => s.health!.maxMemoryBytes !== undefined || s.health!.maxCpuPercent !== undefined);
  const pids = limited.flatMap((s) => liveness.get(s.name)?.pid ?? []);
  const [checks, usage] = await Promise.all([
    runBounded(
      checked.map((s) => () => probeTarget(s.health!.check!.probe, s.health!.check!.timeoutMs, accounts)),
      limit,
    ),
    pids.length === 0 ? undefined : withDeadline(readUsage(pids), USAGE_TIMEOUT_MS),
  ]);
  checked.forEach((s, i) => {
    seen.get(s.name)!.check = checks[i]!;
  });
  if (usage && !usage.timedOut) {
    for (const s of limited) {
      const u = usage.value.get(liveness.get(s.name)!.pid!);
      if (u) seen.get(s.name)!.usage = u;
    }
  }
  return seen;
}
