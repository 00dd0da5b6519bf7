// Who the config's `user` and `group` are: their entries of the password and group databases, asked of getent
// (local files, LDAP, whatever NSS is set to use), once per pass (I/O).

/** A user's entry of the password database. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Identity of this process, and the accounts `user` and `group` resolve to. */
export interface Identity {
  uid: number;
  gid: number;
  account?: Account;
  groupGid?: number;
}

/** The accounts of a `user` and `group` (either may be absent), or why they cannot be had. */
export type AccountLookup = (names: { user?: string; group?: string }) => Promise<Identity | { error: string }>;

/** How long getent may take to answer one question. */
const GETENT_TIMEOUT_MS = 10_000;

/** What getent said of one name: its entry, that it has none, or nothing (it failed, or gave no answer in time). */
type Answer = { line: string } | { missing: true } | { failed: string };
type Database = 'passwd' | 'group';

/** Asks getent every time: the lookup of a command run outside a pass. */
export const lookUpAccounts: AccountLookup = (names) => resolveNames(names, getent);

/**
 * The lookups of one pass: each user and each group is asked of getent once, however many command probes and
 * scripts run as it over however many rounds; one that needs it while the question is out waits for the same
 * answer (each still within its own timeout). Every answer is kept for the pass, "no such user" too: the pass
 * sees one account database, and an account fixed meanwhile is seen by the next pass. A question that got no answer
 * (getent failed, timed out or could not be run) is not kept: the next probe or script asks again.
 */
export function createPassAccounts(): AccountLookup {
  const answers = new Map<string, Promise<Answer>>();
  const ask = (database: Database, name: string): Promise<Answer> => {
    const key = `${database}:${name}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = getent(database, name);
      answers.set(key, answer);
      void answer.then((a) => {
        if ('failed' in a) answers.delete(key);
      });
    }
    return answer;
  };
  return (names) => resolveNames(names, ask);
}

async function resolveNames(
  names: { user?: string; group?: string },
  ask: (database: Database, name: string) => Promise<Answer>,
): Promise<Identity | { error: string }> {
  const who: Identity = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const [user, group] = await Promise.all([
    names.user === undefined ? undefined : ask('passwd', names.user),
    names.group === undefined ? undefined : ask('group', names.group),
  ]);
  if (user !== undefined) {
    if ('failed' in user) return { error: `cannot look up user \`${names.user}\`: ${user.failed}` };
    const f = 'line' in user ? user.line.split(':') : undefined;
    if (!f || f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) return { error: `no user \`${names.user}\` in the password database` };
    who.account = { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! };
  }
  if (group !== undefined) {
    if ('failed' in group) return { error: `cannot look up group \`${names.group}\`: ${group.failed}` };
    const f = 'line' in group ? group.line.split(':') : undefined;
    if (!f || f.length < 3 || !/^\d+$/.test(f[2]!)) return { error: `no group \`${names.group}\` in the group database` };
    who.groupGid = Number(f[2]);
  }
  return who;
}

/**
 * The first line getent prints for one name; missing on its exit 2 ("not found"). `--` keeps a name from being
 * an option.
 */
async function getent(database: Database, name: string): Promise<Answer> {
  // Loaded on use: a pass that runs nothing as another user does not load child_process.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('getent', [database, '--', name], { timeout: GETENT_TIMEOUT_MS, env: { PATH: '/usr/bin:/bin' } }, (error, stdout) => {
      if (!error) {
        const line = stdout.split('\n')[0];
        return resolve(line ? { line } : { missing: true });
      }
      const { code, killed, signal } = error;
      if (code === 2) return resolve({ missing: true });
      if (killed) return resolve({ failed: `getent gave no answer within ${GETENT_TIMEOUT_MS} ms` });
      if (signal) return resolve({ failed: `getent was killed by ${signal}` });
      if (typeof code === 'number') return resolve({ failed: `getent exited ${code}` });
      resolve({ failed: `cannot run getent: ${error.message}` });
    });
  });
}
