// Warnings of `validate` (pure): a config that is valid but heals worse than it could. They never change the
// exit code: validate prints them one per line and exits 0.
import type { Service } from './types.js';

/**
 * One line per name-only dependency on a service without a `check`: its dependents can only know that its
 * process exists, not that it answers, so they may be started (by a converging run, moments after it) too early.
 */
export function weakDependencyWarnings(services: readonly Service[], hasCheck: (service: Service) => boolean): string[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const lines: string[] = [];
  for (const service of services) {
    service.deps.forEach((dep, i) => {
      const target = byName.get(dep.name);
      if (dep.probe.kind !== 'service' || target === undefined || hasCheck(target)) return;
      lines.push(
        `${service.name}.dep[${i}]: \`${dep.name}\` is named only, and ${dep.name} has no check: ${service.name} may be started once ` +
          `${dep.name}'s process exists, before it answers; give ${dep.name} a \`check\`, or this dependency a \`host\`/\`port\` or \`url\``,
      );
    });
  }
  return lines;
}
