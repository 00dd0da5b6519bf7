// Readiness of explicit dependencies: each distinct target probed once per pass.
import type { Dependency, RunAs, TargetProbe } from '../config/types.js';
import type { ProbeResult } from './types.js';
import { probeHttp } from './http.js';
import { runBounded } from '../util/bounded.js';
import type { AccountLookup } from '../util/accounts.js';

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
      return `http ${p.url}${p.caFile === undefined ? '' : ` ca ${p.caFile}`}${p.tlsVerify === false ? ' insecure' : ''} ${dep.timeoutMs}ms`;
    case 'socket':
      return `socket ${p.path} ${dep.timeoutMs}ms`;
    case 'command':
      // Two services running the same command as different users (or in different dirs) are two probes.
      return `command ${JSON.stringify(p.command)}${p.runAs === undefined ? '' : ` as ${runAsKey(p.runAs)}`} ${dep.timeoutMs}ms`;
    case 'service':
      return `service ${dep.name}`;
  }
}

/** The same text for the same user, group, cwd, umask and env, whatever order the config wrote env in. */
function runAsKey(runAs: RunAs): string {
  const env = Object.entries(runAs.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([runAs.user ?? null, runAs.group ?? null, runAs.cwd ?? null, runAs.umask ?? null, env]);
}

/**
 * Probes the TCP and HTTP dependencies, deduplicated by probeKey, at most `limit` at once. Returns the
 * results by probeKey. Service dependencies are not probed here: their readiness is that service's health.
 * Command probes look their `user` and `group` up through `accounts` (the pass's).
 */
export async function probeDependencies(deps: readonly Dependency[], limit: number, accounts?: AccountLookup): Promise<Map<string, ProbeResult>> {
  const unique = new Map<string, Dependency>();
  for (const dep of deps) {
    if (dep.probe.kind !== 'service' && !unique.has(probeKey(dep))) unique.set(probeKey(dep), dep);
  }
  const entries = [...unique];
  const results = await runBounded(
    entries.map(
      ([, dep]) =>
        () =>
          probeDependency(dep, accounts),
    ),
    limit,
  );
  return new Map(entries.map(([key], i) => [key, results[i]!]));
}

/** Probes one dependency; a service dependency has no probe of its own (unknown). */
export function probeDependency(dep: Pick<Dependency, 'name' | 'probe' | 'timeoutMs'>, accounts?: AccountLookup): Promise<ProbeResult> {
  const p = dep.probe;
  if (p.kind === 'service') return Promise.resolve({ status: 'unknown', reason: `\`${dep.name}\` is judged by its own liveness`, ms: 0 });
  return probeTarget(p, dep.timeoutMs, accounts);
}

/** Runs one probe of the vocabulary shared by dependencies and checks; a command's accounts come from `accounts`. */
export async function probeTarget(p: TargetProbe, timeoutMs: number, accounts?: AccountLookup): Promise<ProbeResult> {
  switch (p.kind) {
    case 'tcp': {
      // Loaded on use (with node:net), as every kind but http is: a healthy pass that probes nothing loads none.
      const { probeTcp } = await import('./tcp.js');
      return probeTcp(p.host, p.port, timeoutMs);
    }
    case 'http':
      return probeHttp(p.url, timeoutMs, {
        ...(p.caFile === undefined ? {} : { caFile: p.caFile }),
        ...(p.tlsVerify === false ? { tlsVerify: false } : {}),
      });
    case 'socket': {
      const { probeSocket } = await import('./socket.js');
      return probeSocket(p.path, timeoutMs);
    }
    case 'command': {
      const { probeCommand } = await import('./command.js');
      return probeCommand(p.command, timeoutMs, p.runAs === undefined ? {} : { runAs: p.runAs, ...(accounts ? { accounts } : {}) });
    }
  }
}
