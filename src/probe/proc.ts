// Processes from /proc: one scan per pass indexed by name, single pids for pid files, start times
// since boot. Parsing and matching are pure; only the read functions touch /proc.
import { basename } from 'node:path';
import { codeOf } from '../text/errno.js';
import type { ProcessInfo } from './types.js';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/** The fields of /proc/PID/stat that autoheal-once needs: liveness, and process groups for killing a script. */
export interface StatFields {
  comm: string;
  state: string;
  /** Process group id: a restart script's group is killed at its timeout. */
  pgrp: number;
  startTicks: number;
}

/**
 * Parses one /proc/PID/stat line, or undefined when it is not one.
 * comm sits between the first '(' and the LAST ')': a process may name itself `a) b (c`.
 */
export function parseStat(line: string): StatFields | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") " come fields 3, 4, ..., each ended by a space: state is field 3, pgrp field 5, starttime field 22. The
  // rest of the line is split once: in a pass's first scan (code not yet warm) that costs half of what an indexOf
  // per field does.
  const fields = line.slice(close + 2).split(' ', 20);
  const state = fields[0] ?? '';
  const pgrp = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (!/^[A-Za-z]$/.test(state) || !Number.isSafeInteger(startTicks) || startTicks < 0 || !Number.isSafeInteger(pgrp)) return undefined;
  return { comm: line.slice(open + 1, close), state, pgrp, startTicks };
}

/** Basename of argv[0] from raw /proc/PID/cmdline bytes; '' for kernel threads and zombies. */
export function parseArgv0(cmdline: Uint8Array): string {
  const nul = cmdline.indexOf(0);
  const argv0 = Buffer.from(cmdline.buffer, cmdline.byteOffset, nul < 0 ? cmdline.length : nul).toString('utf8');
  return argv0 === '' ? '' : basename(argv0);
}

/** States in which a pid exists but the process is gone: zombie and dead. */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** Every process seen by one /proc scan, indexed once so each name lookup is a Map get. */
export interface ProcessTable {
  readonly processes: readonly ProcessInfo[];
  /** comm and argv0 → the processes carrying that name (each process once per name). */
  readonly byName: ReadonlyMap<string, readonly ProcessInfo[]>;
  /** pid → its process: the pid of a pid file is looked up here before /proc is read again. */
  readonly byPid: ReadonlyMap<number, ProcessInfo>;
  /** Pids whose /proc entry existed but could not be read: a lookup that finds nothing cannot be sure. */
  readonly unreadable: readonly number[];
}

/** What a name lookup found: live processes, and zombies that carry the name but do not count. */
export interface NameMatches {
  alive: ProcessInfo[];
  zombies: ProcessInfo[];
}

const NO_PIDS: ReadonlySet<number> = new Set();

/** Builds the table and its name index from a list of processes. */
export function indexProcesses(processes: readonly ProcessInfo[], unreadable: readonly number[] = []): ProcessTable {
  const byName = new Map<string, ProcessInfo[]>();
  const byPid = new Map<number, ProcessInfo>();
  const add = (name: string, p: ProcessInfo): void => {
    if (name === '') return;
    const list = byName.get(name);
    if (list) list.push(p);
    else byName.set(name, [p]);
  };
  for (const p of processes) {
    byPid.set(p.pid, p);
    add(p.comm, p);
    if (p.argv0 !== undefined && p.argv0 !== p.comm) add(p.argv0, p);
  }
  return { processes, byName, byPid, unreadable };
}

/**
 * True when the process carries pname — comm equal to it (what `pgrep -x` compares), or the basename of
 * argv[0] equal to it, since the kernel cuts comm at 15 characters. Zombies never count as alive; neither do
 * the excluded pids (autoheal-once itself and what it started).
 */
export function matchProcessName(p: ProcessInfo, pname: string, exclude: ReadonlySet<number> = NO_PIDS): boolean {
  return carriesName(p, pname) && !isDeadState(p.state) && !exclude.has(p.pid);
}

/** True when comm or basename(argv0) equals pname, whatever the process state. */
export function carriesName(p: ProcessInfo, pname: string): boolean {
  return pname !== '' && (p.comm === pname || p.argv0 === pname);
}

/** The processes of the table that carry pname, split into live ones and zombies, pids ascending. */
export function findProcesses(table: ProcessTable, pname: string, exclude: ReadonlySet<number> = NO_PIDS): NameMatches {
  const found = (table.byName.get(pname) ?? []).filter((p) => !exclude.has(p.pid));
  const byPid = (a: ProcessInfo, b: ProcessInfo): number => a.pid - b.pid;
  return {
    alive: found.filter((p) => matchProcessName(p, pname, exclude)).sort(byPid),
    zombies: found.filter((p) => isDeadState(p.state)).sort(byPid),
  };
}

/** USER_HZ: the unit of /proc start times; fixed at 100 by the kernel's ABI on every architecture Linux runs. */
export const TICKS_PER_SECOND = 100;

/** Boot time in epoch ms from /proc/stat's `btime`; undefined when it cannot be read. */
export function readBootTimeMs(procRoot = '/proc'): number | undefined {
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync(`${procRoot}/stat`, 'utf8'));
    return match ? Number(match[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** How long the host has been up, in ms, from /proc/uptime; undefined when it cannot be read. */
export function readUptimeMs(procRoot = '/proc'): number | undefined {
  try {
    const seconds = Number.parseFloat(readFileSync(`${procRoot}/uptime`, 'utf8'));
    return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** A process's start time in epoch ms (pure). */
export function processStartMs(startTicks: number, bootTimeMs: number): number {
  return bootTimeMs + (startTicks * 1000) / TICKS_PER_SECOND;
}

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
  const stat = readStat(`${procRoot}/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = parseStat(stat);
  if (!fields) throw new Error(`unexpected ${procRoot}/${pid}/stat format`);
  const info: ProcessInfo = { pid, comm: fields.comm, state: fields.state, startTicks: fields.startTicks };
  if (!wantArgv0(fields.comm)) return info;
  const cmdline = readSmall(buf, `${procRoot}/${pid}/cmdline`);
  if (cmdline === undefined) return undefined;
  info.argv0 = parseArgv0(cmdline);
  return info;
}

// A stat file as text (one call into node: cheaper than open, read and close for a pass's first, cold scan);
// undefined when the process is gone.
function readStat(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
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
  const code = codeOf(err);
  return code === 'ENOENT' || code === 'ESRCH';
}
