// Who a command of the config runs as, and where: `user`, `group`, `cwd`, `env` and `umask` turned into what
// spawn() needs. Shared by every command autoheal-once starts (restart scripts, and any other command of a service).
import { execFile } from 'node:child_process';

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

/** A user's entry of the password database. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** What to hand to spawn(): the program, its arguments, its working directory and its whole environment. */
export interface CommandSpawn {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Identity of this process, and the accounts `user` and `group` resolve to. */
export interface Identity {
  uid: number;
  gid: number;
  account?: Account;
  groupGid?: number;
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

/** Resolves `user` and `group` with getent (local files, LDAP, whatever NSS is set to use) (I/O). */
export async function resolveIdentity(runAs: RunAs): Promise<Identity | { error: string }> {
  const who: Identity = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (runAs.user !== undefined) {
    const line = await getent('passwd', runAs.user);
    const f = line?.split(':');
    if (!f || f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) return { error: `no user \`${runAs.user}\` in the password database` };
    who.account = { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! };
  }
  if (runAs.group !== undefined) {
    const f = (await getent('group', runAs.group))?.split(':');
    if (!f || f.length < 3 || !/^\d+$/.test(f[2]!)) return { error: `no group \`${runAs.group}\` in the group database` };
    who.groupGid = Number(f[2]);
  }
  return who;
}

/** The spawn of `command` for `runAs`: resolve the accounts, then build (I/O; never throws). */
export async function prepareCommand(
  command: string,
  runAs: RunAs,
  base: Readonly<Record<string, string>>,
  shell?: string,
): Promise<CommandSpawn | { error: string }> {
  if (runAs.user === undefined && runAs.group === undefined)
    return buildCommandSpawn(command, runAs, base, { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, shell);
  const who = await resolveIdentity(runAs);
  return 'error' in who ? who : buildCommandSpawn(command, runAs, base, who, shell);
}

/** The first line getent prints for one name, or undefined when it has none. `--` keeps a name from being an option. */
function getent(database: 'passwd' | 'group', name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('getent', [database, '--', name], { timeout: 10_000, env: { PATH: '/usr/bin:/bin' } }, (error, stdout) => {
      resolve(error ? undefined : stdout.split('\n')[0] || undefined);
    });
  });
}
