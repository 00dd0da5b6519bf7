// The PATH that commands run by a root pass get: cron's default lacks the sbin directories where daemons live.

/** The PATH a root shell expects. */
export const FULL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The PATH Vixie cron and cronie give jobs. */
const CRON_MINIMAL_PATH = '/usr/bin:/bin';

/** True when `path` is missing, empty or cron's minimal one, so FULL_PATH should replace it. */
export function needsFullPath(path: string | undefined): boolean {
  return path === undefined || path === '' || path === CRON_MINIMAL_PATH;
}
