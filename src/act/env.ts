// Pure construction of a restart script's environment.
import { FULL_PATH, needsFullPath } from '../util/path-env.js';

export { FULL_PATH };

/**
 * The base environment plus AUTOHEAL_SERVICE and AUTOHEAL_REASON, with a full PATH when the inherited one is
 * missing, empty or cron's minimal one. Undefined values are dropped.
 */
export function buildRestartEnv(base: Readonly<Record<string, string | undefined>>, service: string, reason: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = stripNul(value);
  }
  const path = env.PATH;
  if (needsFullPath(path)) env.PATH = FULL_PATH;
  env.AUTOHEAL_SERVICE = stripNul(service);
  env.AUTOHEAL_REASON = stripNul(reason);
  return env;
}

// The kernel cannot carry NUL in an environment value (spawn would refuse the whole call).
function stripNul(value: string): string {
  return value.replaceAll('\0', '');
}
