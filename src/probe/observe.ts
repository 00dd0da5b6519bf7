// The probes of one pass, at the edge: one /proc scan for every name lookup, each dependency target once.
import type { Dependency, Service } from '../config/types.js';
import { readBootTimeMs } from './proc.js';
import { probeDependencies } from './deps.js';
import { probeKey } from './deps.js';
import { needsProcessScan, probeLiveness } from './liveness.js';
import { runBounded } from '../util/bounded.js';
import { scanProcesses } from './proc.js';
import type { ProbeResult } from './types.js';

/** Liveness by service name. The scan happens only when some service is looked up by name. */
export async function observeLiveness(services: readonly Service[], limit: number): Promise<Map<string, ProbeResult>> {
  const table = needsProcessScan(services) ? tryScanProcesses() : undefined;
  const exclude = new Set([process.pid]);
  const bootTimeMs = services.some((s) => s.pidFile !== undefined) ? readBootTimeMs() : undefined;
  const options = bootTimeMs === undefined ? { exclude } : { exclude, bootTimeMs };
  const results = await runBounded(
    services.map((s) => async () => (await probeLiveness(s, table, options)).result),
    limit,
  );
  return new Map(services.map((s, i) => [s.name, results[i]!]));
}

/** Readiness by dependency; probeDependencies probes each distinct target once. */
export async function observeReadiness(deps: readonly Dependency[], limit: number): Promise<Map<Dependency, ProbeResult>> {
  const byKey = await probeDependencies(deps, limit);
  return new Map(deps.map((dep) => [dep, byKey.get(probeKey(dep))!]));
}

// An unreadable /proc leaves the services looked up by name unknown (never restarted), not the whole pass.
function tryScanProcesses(): ReturnType<typeof scanProcesses> | undefined {
  try {
    return scanProcesses();
  } catch {
    return undefined;
  }
}
