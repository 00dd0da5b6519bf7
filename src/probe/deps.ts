// Readiness of explicit dependencies: each distinct target probed once per pass.
import type { Dependency } from '../config/types.js';
import type { ProbeResult } from './types.js';
import { probeTcp } from './tcp.js';
import { probeHttp } from './http.js';
import { runBounded } from '../util/bounded.js';

/**
 * A key equal for two dependencies exactly when probing them is the same work: same kind, target and
 * timeout, e.g. `tcp 127.0.0.1:80 5000ms`. A service dependency is judged from that service's liveness.
 */
export function probeKey(dep: Pick<Dependency, 'name' | 'probe' | 'timeoutMs'>): string {
  const p = dep.probe;
  switch (p.kind) {
    case 'tcp':
      // An IPv6 literal gets brackets so the port cannot be read as part of the address.
      return `tcp ${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port} ${dep.timeoutMs}ms`;
    case 'http':
      return `http ${p.url} ${dep.timeoutMs}ms`;
    case 'service':
      return `service ${dep.name}`;
  }
}

/**
 * Probes the TCP and HTTP dependencies, deduplicated by probeKey, at most `limit` at once. Returns the
 * results by probeKey. Service dependencies are not probed here: their readiness is that service's health.
 */
export async function probeDependencies(deps: readonly Dependency[], limit: number): Promise<Map<string, ProbeResult>> {
  const unique = new Map<string, Dependency>();
  for (const dep of deps) {
    if (dep.probe.kind !== 'service' && !unique.has(probeKey(dep))) unique.set(probeKey(dep), dep);
  }
  const entries = [...unique];
  const results = await runBounded(entries.map(([, dep]) => () => probeDependency(dep)), limit);
  return new Map(entries.map(([key], i) => [key, results[i]!]));
}

/** Probes one TCP or HTTP dependency; a service dependency has no probe of its own (unknown). */
export function probeDependency(dep: Dependency): Promise<ProbeResult> {
  const p = dep.probe;
  if (p.kind === 'tcp') return probeTcp(p.host, p.port, dep.timeoutMs);
  if (p.kind === 'http') return probeHttp(p.url, dep.timeoutMs);
  return Promise.resolve({ status: 'unknown', reason: `\`${dep.name}\` is judged by its own liveness`, ms: 0 });
}
