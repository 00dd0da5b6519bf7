// The audit log: every action of every pass, one JSON line each, appended to <stateDir>/audit.log (I/O).
// Never rewritten; past the cap it is renamed to audit.log.1 (replacing the older one) and a new one begins.
import { closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StateError } from '../errors.js';
import { formatAuditLine, shouldRotate, type AuditEvent } from './audit-line.js';
import { messageOf } from './durable.js';

export type { AuditEvent } from './audit-line.js';

export const AUDIT_FILE = 'audit.log';
/** Default size cap of audit.log; with audit.log.1 at most twice this is kept. */
export const DEFAULT_AUDIT_CAP_BYTES = 1024 * 1024;

// O_APPEND: every write lands at the end, whoever else appends. O_NOFOLLOW: a planted symlink does not redirect
// root's writes. O_NONBLOCK: a planted FIFO fails instead of hanging the pass.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Appends the events with one write() (creating the directory 0700 and the file 0600); throws StateError. */
export async function appendAudit(stateDir: string, events: readonly AuditEvent[], capBytes = DEFAULT_AUDIT_CAP_BYTES): Promise<void> {
  if (events.length === 0) return;
  const dir = resolve(stateDir);
  const path = join(dir, AUDIT_FILE);
  const bytes = Buffer.from(events.map(formatAuditLine).join(''));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let log = openLog(path);
    if (shouldRotate(log.size, bytes.length, capBytes)) {
      closeSync(log.fd);
      // Passes hold the state directory's lock, so no other writer rotates at the same time.
      renameSync(path, `${path}.1`);
      log = openLog(path);
    }
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(log.fd, bytes, off);
    } finally {
      closeSync(log.fd);
    }
  } catch (err) {
    throw new StateError(`cannot append to audit log ${path}: ${messageOf(err)}`, { cause: err });
  }
}

function openLog(path: string): { fd: number; size: number } {
  const fd = openSync(path, FLAGS, 0o600);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
