// Writes that survive a crash or a power cut: fsync'd files and directories (I/O).
import { closeSync, constants, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';

// A new file only: O_EXCL refuses whatever is at the name (a file, a symlink, a FIFO), so root never writes
// through something it did not create; O_NOFOLLOW and O_NONBLOCK say the same twice, in case.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Creates `path` (mode 0600; EEXIST when anything is there), writes `text` and fsyncs it before returning. */
export function writeDurably(path: string, text: string): void {
  const fd = openSync(path, WRITE_FLAGS, 0o600);
  try {
    fchmodSync(fd, 0o600);
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a directory: without it a rename may not survive a power cut, which is when autoheal-once matters. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
