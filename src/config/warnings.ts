// Warnings of `validate` (pure): a config that is valid but heals worse than it could. They never change the
// exit code: validate prints them one per line, located as config errors are, and exits 0.
import type { ConfigIssue } from '../errors.js';
import type { Service } from './types.js';

/**
 * One warning per name-only dependency on a service without a `check`: its dependents can only know that its
 * process exists, not that it answers, so they may be started (by a converging run, moments after it) too early.
 * Located where the dependency is written (line 0, the whole file, for one built without a position).
 */
export function weakDependencyWarnings(services: readonly Service[], hasCheck: (service: Service) => boolean): ConfigIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const warnings: ConfigIssue[] = [];
  for (const service of services) {
    service.deps.forEach((dep, i) => {
      const target = byName.get(dep.name);
      if (dep.probe.kind !== 'service' || target === undefined || hasCheck(target)) return;
      warnings.push({
        line: dep.at?.line ?? 0,
        col: dep.at?.col ?? 0,
        path: `${service.name}.dep[${i}]`,
        message:
          `\`${dep.name}\` is named only, and ${dep.name} has no check: ${service.name} may be started once ` +
          `${dep.name}'s process exists, before it answers; give ${dep.name} a \`check\`, or this dependency a \`host\`/\`port\` or \`url\``,
      });
    });
  }
  return warnings;
}
