// Whether a config may be trusted with root's shell (pure): monit refuses its control file in the same case.
import { printable } from '../text/printable.js';

/** Why the file must not be used when running as root, with the command that fixes it; undefined when fine. */
export function judgeConfigTrust(file: { uid: number; mode: number }, path: string): string | undefined {
  const wrongOwner = file.uid !== 0;
  const writable = (file.mode & 0o022) !== 0;
  if (!wrongOwner && !writable) return undefined;
  const quoted = printable(quoteForShell(path));
  const problems: string[] = [];
  const fixes: string[] = [];
  if (wrongOwner) {
    problems.push(`owned by uid ${file.uid}, not root`);
    fixes.push(`chown root:root ${quoted}`);
  }
  if (writable) {
    const who = [(file.mode & 0o020) !== 0 ? 'group' : '', (file.mode & 0o002) !== 0 ? 'others' : ''].filter(Boolean).join(' and ');
    problems.push(`writable by ${who} (mode ${(file.mode & 0o7777).toString(8).padStart(4, '0')})`);
    fixes.push(`chmod go-w ${quoted}`);
  }
  return `refusing to run its scripts as root: the config is ${problems.join(' and ')}; fix it with: ${fixes.join(' && ')}`;
}

/** The path as one shell word: unchanged when plain, else in single quotes. */
export function quoteForShell(path: string): string {
  return /^[A-Za-z0-9_./+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
