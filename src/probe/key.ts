// Identity of a dependency probe, so one target listed by many services is probed once per pass (pure).
import type { Dependency } from '../config/types.js';

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
      return `command ${JSON.stringify(p.command)} ${dep.timeoutMs}ms`;
    case 'service':
      return `service ${dep.name}`;
  }
}
