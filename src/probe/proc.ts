// Reading processes from /proc: one full scan per pass, or a single pid for pid-file checks.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import type { ProcessInfo } from './types.js';
import { parseArgv0, parseStat } from './proc-parse.js';
import { indexProcesses, type ProcessTable } from './process-table.js';

// A stat line is < 1 KiB; argv[0] is at most PATH_MAX. One buffer serves every read of a scan.
const BUF_BYTES = 4096;

/** Every process in procRoot, indexed by name. Processes that vanish mid-scan are skipped. */
export function scanProcesses(procRoot = '/proc'): ProcessTable {
  const buf = Buffer.allocUnsafe(BUF_BYTES);
  const processes: ProcessInfo[] = [];
  const unreadable: number[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const info = readWith(buf, procRoot, pid);
      if (info) processes.push(info);
    } catch {
      unreadable.push(pid);
    }
  }
  return indexProcesses(processes, unreadable);
}

/** One process, or undefined when no such pid exists. Throws when /proc cannot be read. */
export function readProcess(pid: number, procRoot = '/proc'): ProcessInfo | undefined {
  return readWith(Buffer.allocUnsafe(BUF_BYTES), procRoot, pid);
}

function readWith(buf: Buffer, procRoot: string, pid: number): ProcessInfo | undefined {
  const stat = readSmall(buf, `${procRoot}/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = parseStat(stat.toString('utf8'));
  if (!fields) throw new Error(`unexpected ${procRoot}/${pid}/stat format`);
  const cmdline = readSmall(buf, `${procRoot}/${pid}/cmdline`);
  if (cmdline === undefined) return undefined;
  return { pid, ...fields, argv0: parseArgv0(cmdline) };
}

// The first bytes of a file into the shared buffer; undefined when the process is gone.
function readSmall(buf: Buffer, path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
  try {
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  } finally {
    closeSync(fd);
  }
}

// ENOENT: the pid dir is gone; ESRCH: the process exited between open and read.
function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}
