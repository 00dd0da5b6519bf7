// Pure construction of a restart script's environment.

/** The PATH a root shell expects; cron's default lacks the sbin directories where daemons live. */
export const FULL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The PATH Vixie cron and cronie give jobs. */
const CRON_MINIMAL_PATH = '/usr/bin:/bin';

/**
 * The base environment plus AUTOHEAL_SERVICE and AUTOHEAL_REASON, with a full PATH when the inherited one is
 * missing, empty or cron's minimal one. Undefined values are dropped.
 */
export function buildRestartEnv(
  base: Readonly<Record<string, string | undefined>>,
  service: string,
  reason: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = stripNul(value);
  }
  const path = env.PATH;
  if (path === undefined || path === '' || path === CRON_MINIMAL_PATH) env.PATH = FULL_PATH;
  env.AUTOHEAL_SERVICE = stripNul(service);
  env.AUTOHEAL_REASON = stripNul(reason);
  return env;
}

// The kernel cannot carry NUL in an environment value (spawn would refuse the whole call).
function stripNul(value: string): string {
  return value.replaceAll('\0', '');
}
