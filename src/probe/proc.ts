// Reading processes from /proc: one full scan per pass, or a single pid for pid-file checks.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import type { ProcessInfo } from './types.js';
import { parseArgv0, parseStat } from './proc-parse.js';
import { indexProcesses, type ProcessTable } from './process-table.js';

// A stat line is < 1 KiB; argv[0] is at most PATH_MAX. One buffer serves every read of a scan.
const BUF_BYTES = 4096;

const always = (): boolean => true;
const never = (): boolean => false;

/**
 * Every process in procRoot, indexed by name. Processes that vanish mid-scan are skipped. withArgv0 false reads one
 * file per process (/proc/PID/stat, which holds comm) and leaves argv0 undefined: completeArgv0 reads it when a
 * lookup by comm alone cannot decide.
 */
export function scanProcesses(procRoot = '/proc', { withArgv0 = true } = {}): ProcessTable {
  const buf = Buffer.allocUnsafe(BUF_BYTES);
  const wantArgv0 = withArgv0 ? always : never;
  const processes: ProcessInfo[] = [];
  const unreadable: number[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const info = readWith(buf, procRoot, pid, wantArgv0);
      if (info) processes.push(info);
    } catch {
      unreadable.push(pid);
    }
  }
  return indexProcesses(processes, unreadable);
}

/**
 * The table with argv[0] read for every process that lacks it (and that `which` selects), as a full scan would have
 * read it: a process gone since is dropped, one whose cmdline cannot be read counts as unreadable.
 */
export function completeArgv0(table: ProcessTable, procRoot = '/proc', which: (p: ProcessInfo) => boolean = always): ProcessTable {
  const buf = Buffer.allocUnsafe(BUF_BYTES);
  const processes: ProcessInfo[] = [];
  const unreadable = [...table.unreadable];
  for (const p of table.processes) {
    if (p.argv0 !== undefined || !which(p)) {
      processes.push(p);
      continue;
    }
    try {
      const cmdline = readSmall(buf, `${procRoot}/${p.pid}/cmdline`);
      if (cmdline !== undefined) processes.push({ ...p, argv0: parseArgv0(cmdline) });
    } catch {
      unreadable.push(p.pid);
    }
  }
  return indexProcesses(processes, unreadable);
}

// One buffer for every single-pid read: they are synchronous, so never two at once.
let shared: Buffer | undefined;

/**
 * One process, or undefined when no such pid exists. Throws when /proc cannot be read. argv[0] is read (a second
 * file) only when `wantArgv0(comm)` says it is needed; otherwise argv0 is left undefined.
 */
export function readProcess(pid: number, procRoot = '/proc', wantArgv0: (comm: string) => boolean = always): ProcessInfo | undefined {
  shared ??= Buffer.allocUnsafe(BUF_BYTES);
  return readWith(shared, procRoot, pid, wantArgv0);
}

function readWith(buf: Buffer, procRoot: string, pid: number, wantArgv0: (comm: string) => boolean): ProcessInfo | undefined {
  const stat = readSmall(buf, `${procRoot}/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = parseStat(stat);
  if (!fields) throw new Error(`unexpected ${procRoot}/${pid}/stat format`);
  if (!wantArgv0(fields.comm)) return { pid, ...fields };
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
