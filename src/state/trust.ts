// Whether root may use a directory (I/O: lstat from / down). It and every directory above it must be root's and
// not writable by group or others, a parent that others may write being allowed only when sticky and the entry in
// it root's (as OpenSSH's StrictModes judges a home, and /tmp is). Otherwise another user could swap a component
// for a symlink and turn root's writes (state, audit, logs) onto any file. Missing directories are created 0700.
import { lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { quoteForShell } from '../config/trust.js';
import { StateError } from '../errors.js';
import { codeOf, describeErrno } from '../text/errno.js';
import { printable } from '../text/printable.js';

const STICKY = 0o1000;

/**
 * Checks `dir` for use by root, creating what is missing (mode 0700) when `create`; throws StateError naming the
 * path at fault and the command that fixes it. `what` names the directory for the operator (`state directory`).
 */
export function ensureTrustedDir(dir: string, what: string, create: boolean): void {
  walk(resolve(dir), { what, wanted: resolve(dir), create }, 0);
}

interface Walk {
  what: string;
  wanted: string;
  create: boolean;
}

// A symlink in a trusted directory is followed and its target walked from / in turn; realpath leaves no symlink
// in the target, so this recurses at most once per link met.
function walk(path: string, w: Walk, depth: number): void {
  if (depth > 40) throw refuse(w, `${path} goes through too many symbolic links`, `use a plain directory for ${w.what}`);
  let current = '/';
  let parent = statOf('/', w)!;
  judge(parent, '/', w, path === '/');
  const parts = path.split(sep).filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const next = join(current, part);
    const last = i === parts.length - 1;
    let st = statOf(next, w);
    if (st === undefined) {
      // Not there, and not to be created (or it cannot be: a read-only or full disk, which later steps report).
      if (!w.create || !mkdirExclusive(next)) return;
      st = statOf(next, w);
      if (st === undefined) return;
    }
    // In a sticky directory others may write, only the owner of an entry may rename or remove it.
    if ((parent.mode & 0o002) !== 0 && st.uid !== 0) {
      throw refuse(w, `${next} is owned by uid ${st.uid}, not root, in ${current}, where others may create files`, `chown -h root:root ${q(next)}`);
    }
    if (st.isSymbolicLink()) {
      const target = realTarget(next, w);
      walk(target, w, depth + 1);
      current = target;
      parent = statOf(target, w)!;
      continue;
    }
    if (!st.isDirectory()) throw refuse(w, `${next} is not a directory`, `rm ${q(next)}`);
    judge(st, next, w, last);
    current = next;
    parent = st;
  }
}

function judge(st: Stats, path: string, w: Walk, last: boolean): void {
  if (st.uid !== 0) {
    const fix = last
      ? `chown root:root ${q(path)} && chmod 0700 ${q(path)}`
      : `chown root:root ${q(path)}, or choose a ${w.what} whose every parent is root's`;
    throw refuse(w, `${path} is owned by uid ${st.uid}, not root`, fix);
  }
  const writable = st.mode & 0o022;
  if (writable === 0 || (!last && (st.mode & STICKY) !== 0)) return;
  const who = [(writable & 0o020) !== 0 ? 'group' : '', (writable & 0o002) !== 0 ? 'others' : ''].filter(Boolean).join(' and ');
  throw refuse(w, `${path} is writable by ${who} (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`, `chmod go-w ${q(path)}`);
}

function statOf(path: string, w: Walk): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return undefined;
    throw new StateError(`cannot check ${w.what} ${printable(w.wanted)}: ${printable(path)}: ${describeErrno(err)}`, { cause: err });
  }
}

// False when it cannot be created; EEXIST (another pass made it meanwhile) is judged like any existing directory.
function mkdirExclusive(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
    return true;
  } catch (err) {
    return codeOf(err) === 'EEXIST';
  }
}

function realTarget(link: string, w: Walk): string {
  try {
    return realpathSync(link);
  } catch (err) {
    throw refuse(w, `${link} is a symbolic link to nothing (${describeErrno(err)})`, `rm ${q(link)}`);
  }
}

function refuse(w: Walk, problem: string, fix: string): StateError {
  return new StateError(`refusing to use ${w.what} ${printable(w.wanted)} as root: ${printable(problem)}; fix it with: ${printable(fix)}`);
}

function q(path: string): string {
  return quoteForShell(path);
}
