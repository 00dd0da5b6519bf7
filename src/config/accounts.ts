// The config's `user` and `group` values checked against this host's accounts: unknown ones are config issues,
// with the closest local account as a did-you-mean.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ConfigIssue } from '../errors.js';
import { ticked } from './found.js';
import { suggestKey } from './suggest.js';
import type { AccountRef } from './types.js';

/** Account names, and a lookup for those that are not local (LDAP, sssd...). */
export interface AccountBook {
  users: readonly string[];
  groups: readonly string[];
  /** Whether NSS knows the name even though the local files do not. */
  exists(kind: AccountRef['kind'], name: string): boolean;
}

/** An issue for each reference to an account the book does not know (pure, given the book). */
export function findAccountIssues(refs: readonly AccountRef[], book: AccountBook): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const ref of refs) {
    const local = ref.kind === 'user' ? book.users : book.groups;
    if (local.includes(ref.name) || book.exists(ref.kind, ref.name)) continue;
    const near = suggestKey(ref.name, local);
    const hint = near === undefined ? '' : `: did you mean ${ticked(near)}?`;
    const database = ref.kind === 'user' ? 'the password database' : 'the group database';
    issues.push({
      line: ref.line,
      col: ref.col,
      path: ref.path,
      message: `expected a ${ref.kind} of this host, found ${ticked(ref.name)}, which is not in ${database}${hint}`,
    });
  }
  return issues;
}

/** This host's accounts: the names in /etc/passwd and /etc/group, and getent for any other (I/O). */
export function readAccountBook(): AccountBook {
  return {
    users: namesIn('/etc/passwd'),
    groups: namesIn('/etc/group'),
    exists(kind, name) {
      try {
        execFileSync('getent', [kind === 'user' ? 'passwd' : 'group', '--', name], {
          stdio: 'ignore',
          timeout: 10_000,
          env: { PATH: '/usr/bin:/bin' },
        });
        return true;
      } catch {
        return false;
      }
    },
  };
}

function namesIn(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.slice(0, line.indexOf(':')))
      .filter((name) => name !== '' && !name.startsWith('#') && !name.startsWith('+') && !name.startsWith('-'));
  } catch {
    return [];
  }
}
