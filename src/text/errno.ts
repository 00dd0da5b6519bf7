// Error text for operators: the errno code of a Node error, and the words for the codes a file operation meets.
import { printable } from './printable.js';

/** The errno code of a Node error (`ENOENT`), if any. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error's message, or the thrown value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENXIO: 'no reader on the other end (a FIFO or a device)',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** `words (CODE)` for a known errno, else the error's own message; printable either way. */
export function describeErrno(err: unknown): string {
  const code = codeOf(err);
  if (code !== undefined && Object.hasOwn(WORDS, code)) return `${WORDS[code]} (${code})`;
  return printable(messageOf(err));
}
