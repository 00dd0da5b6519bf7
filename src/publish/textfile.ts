// Replaces a file that another program reads while we write (node_exporter's textfile collector) (I/O).
import { closeSync, constants, fchmodSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// O_EXCL and O_NOFOLLOW: the directory may belong to another user (the exporter's), who must not be able to
// make root write through a planted symlink or into a file prepared in advance.
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes `text` to `path` atomically: a new temp file in the same directory (a hidden name without the `.prom`
 * suffix, so the collector never reads it half-written), then a rename over `path`. Readable by all (0644),
 * as the exporter does not run as root. Throws on failure, leaving no temp file behind.
 */
export function writeTextfileAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  const fd = openSync(tmp, CREATE_FLAGS, 0o644);
  try {
    try {
      fchmodSync(fd, 0o644);
      const bytes = Buffer.from(text);
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // renamed or never created
    }
    throw error;
  }
}
