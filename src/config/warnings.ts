// Warnings of `validate` (pure): a config that is valid but heals worse than it could.
//
// Not wired into `validate` yet: it needs a service's own `check`. Until a service can declare one, every
// name-only dependency would warn with a fix that does not exist. Once `check` lands, `runValidate` prints
// `weakDependencyWarnings(config.services, (s) => s.check !== undefined)` one per line (exit stays 0), and
// the README's converge section shows both fixes.
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
