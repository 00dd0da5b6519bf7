// Who a command of the config runs as, and where: `user`, `group`, `cwd`, `env` and `umask` turned into what
// spawn() needs. Shared by every command autoheal-once starts (restart scripts, and any other command of a service).
import { lookUpAccounts, type AccountLookup, type Identity } from './accounts.js';

/** The config's `user`, `group`, `cwd`, `env` and `umask` of one service, defaults applied. */
export interface RunAs {
  user?: string;
  group?: string;
  /** Absolute working directory; default `/`. */
  cwd?: string;
  /** Set on top of the inherited environment. */
  env?: Readonly<Record<string, string>>;
  /** File mode creation mask, 0..0o777. */
  umask?: number;
}

/** What to hand to spawn(): the program, its arguments, its working directory and its whole environment. */
export interface CommandSpawn {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** util-linux's setpriv sets uid, gid and the user's supplementary groups, then execs the shell (same pid). */
export const SETPRIV = '/usr/bin/setpriv';

/**
 * Runs `command` with `shell -c` as `runAs` says (pure): as another user through setpriv (uid, gid, initgroups),
 * with HOME, USER, LOGNAME and SHELL of that user, the config's `env` on top, and `umask` set before the command.
 * Returns an error text instead when the switch is impossible (a user or group while not root).
 */
export function buildCommandSpawn(
  command: string,
  runAs: RunAs,
  base: Readonly<Record<string, string>>,
  who: Identity,
  shell = '/bin/sh',
): CommandSpawn | { error: string } {
  const env: Record<string, string> = { ...base };
  const { account } = who;
  if (account) Object.assign(env, { HOME: account.home, USER: account.name, LOGNAME: account.name, SHELL: account.shell });
  for (const [key, value] of Object.entries(runAs.env ?? {})) env[key] = value.replaceAll('\0', '');
  const script = runAs.umask === undefined ? command : `umask ${runAs.umask.toString(8).padStart(4, '0')}\n${command}`;
  const cwd = runAs.cwd ?? '/';
  const uid = account?.uid ?? who.uid;
  const gid = who.groupGid ?? account?.gid ?? who.gid;
  if (uid === who.uid && gid === who.gid) return { file: shell, args: ['-c', script], cwd, env };
  if (who.uid !== 0) {
    const wanted = [runAs.user === undefined ? '' : `user \`${runAs.user}\``, runAs.group === undefined ? '' : `group \`${runAs.group}\``]
      .filter(Boolean)
      .join(' and ');
    return {
      error: `cannot run it as ${wanted}: autoheal-once runs as uid ${who.uid}, and only root can switch users; run it as root, or drop \`user\`/\`group\``,
    };
  }
  const groups = account ? ['--init-groups'] : ['--clear-groups'];
  return { file: SETPRIV, args: [`--reuid=${uid}`, `--regid=${gid}`, ...groups, '--', shell, '-c', script], cwd, env };
}

/**
 * The spawn of `command` for `runAs`: resolve the accounts (through the pass's `accounts`, which asks each name
 * once per pass; by default, afresh), then build (I/O; never throws).
 */
export async function prepareCommand(
  command: string,
  runAs: RunAs,
  base: Readonly<Record<string, string>>,
  shell?: string,
  accounts: AccountLookup = lookUpAccounts,
): Promise<CommandSpawn | { error: string }> {
  if (runAs.user === undefined && runAs.group === undefined)
    return buildCommandSpawn(command, runAs, base, { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, shell);
  const who = await accounts(runAs);
  return 'error' in who ? who : buildCommandSpawn(command, runAs, base, who, shell);
}
