// Opens a service's restart log for appending and writes the run's header line (I/O).
import { closeSync, constants, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildLogFileName } from './log-file.js';

export type OpenedLog = { ok: true; fd: number; path: string } | { ok: false; path: string; error: string };

// O_NOFOLLOW: a symlink planted in the log dir must not redirect root's writes.
// O_NONBLOCK: a FIFO planted there must fail (ENXIO) instead of hanging the pass; it changes nothing for files.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Creates the log dir (0750) and file (0640) when missing, appends `header`; never throws. */
export function openRestartLog(logDir: string, service: string, header: string): OpenedLog {
  const dir = resolve(logDir);
  const path = join(dir, buildLogFileName(service));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
  } catch (err) {
    return { ok: false, path, error: `cannot create log directory ${dir}: ${describeError(err)}` };
  }
  let fd: number;
  try {
    fd = openSync(path, FLAGS, 0o640);
  } catch (err) {
    return { ok: false, path, error: `cannot open log file ${path}: ${describeError(err)}` };
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    writeSync(fd, header);
    return { ok: true, fd, path };
  } catch (err) {
    closeSync(fd);
    return { ok: false, path, error: `cannot write log file ${path}: ${describeError(err)}` };
  }
}

/** `ENOTDIR: not a directory, mkdir '/x'` keeps both the code and the text an operator searches for. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
