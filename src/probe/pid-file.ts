// Reading a pid file and judging the process it names: parsing is pure, reading is I/O.
import { codeOf, describeErrno } from '../text/errno.js';
import type { ProbeResult, ProbeStatus, ProcessInfo } from './types.js';
import { close, constants, fstat, open, read } from 'node:fs';
import { isDeadState, readProcess } from './proc.js';
import { startStopwatch, withDeadline } from './deadline.js';

// PID_MAX_LIMIT on 64-bit Linux (2^22): no larger pid can exist.
const PID_MAX = 4_194_304;

/** The pid a pid file names, or why it names none. */
export type ParsedPid = { ok: true; pid: number } | { ok: false; reason: string };

/**
 * Reads the pid from pid file text: the first line, surrounding whitespace allowed, decimal digits only,
 * 1..PID_MAX. Later lines are ignored (some daemons write extra lines after the pid).
 */
export function parsePid(text: string, path: string): ParsedPid {
  if (text.trim() === '') return { ok: false, reason: `pid file ${path} is empty` };
  const first = (text.split('\n')[0] ?? '').trim();
  const pid = /^[0-9]{1,10}$/.test(first) ? Number(first) : NaN;
  if (pid >= 1 && pid <= PID_MAX) return { ok: true, pid };
  // Never quoted: a pid file may be linked by its owner to a file only root can read.
  return { ok: false, reason: `pid file ${path} does not hold a pid` };
}

/**
 * Status and reason for an error opening or reading a pid file. A file that certainly is not there is down;
 * anything else (permission denied, I/O error, too many open files) means we could not tell: unknown.
 */
export function classifyPidFileError(err: unknown, path: string): { status: ProbeStatus; reason: string } {
  switch (codeOf(err)) {
    case 'ENOENT':
      return { status: 'down', reason: `pid file ${path} does not exist` };
    case 'ENOTDIR':
      return { status: 'down', reason: `pid file ${path} cannot exist: a parent of it is not a directory` };
    case 'EISDIR':
      return { status: 'down', reason: `pid file ${path} is a directory` };
    case 'ELOOP':
      // Its owner may have linked it to a file only root can read: not followed, not read.
      return { status: 'unknown', reason: `pid file ${path} is a symbolic link; not followed` };
    case 'ENOTREG':
      return { status: 'unknown', reason: `pid file ${path} is not a regular file (a FIFO, socket or device)` };
    default:
      return { status: 'unknown', reason: `cannot read pid file ${path}: ${describeErrno(err)}` };
  }
}

// A pid file often lives in a directory its service's user controls. O_NOFOLLOW: a symlink there is not followed
// to a file only root may read. O_NONBLOCK: a FIFO put there does not block a thread for good. O_NOCTTY: a
// terminal put there does not become the pass's controlling terminal (whose Ctrl-C would kill it).
const PID_FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

// A pid file is a line; anything past this is not needed to find the pid.
const MAX_BYTES = 4096;

/** A pid file probe: the result, plus what was observed on the way (more fields may be added). */
export interface PidFileObservation {
  result: ProbeResult;
  path: string;
  /** The pid the file names, when it names one. */
  pid?: number;
  /** The file's mtime (ms since the epoch), when it could be read. */
  fileMtimeMs?: number;
  /** The process with that pid, when one exists (its startTicks date it: a later pid-recycling check). */
  process?: ProcessInfo;
}

/** Where probePidFile looks the pid up: the pass's process table first, then procRoot. */
export interface PidLookup {
  procRoot?: string;
  /** The processes of this pass's /proc scan, when there was one: a pid found there is not read again. */
  scanned?: ReadonlyMap<number, ProcessInfo>;
  /** The service's pname: argv[0] is read only when the process's comm is not already that name. */
  pname?: string;
}

/** Reads the pid file asynchronously (a hung filesystem cannot hang the pass) and checks its pid in /proc. */
export async function probePidFile(path: string, timeoutMs: number, lookup: PidLookup = {}): Promise<PidFileObservation> {
  const { procRoot = '/proc', scanned, pname } = lookup;
  const elapsed = startStopwatch();
  const done = (status: ProbeResult['status'], reason: string, extra: Partial<PidFileObservation> = {}): PidFileObservation => {
    const result: ProbeResult = { status, reason, ms: elapsed() };
    if (extra.pid !== undefined) result.pid = extra.pid;
    if (extra.process !== undefined) result.startTicks = extra.process.startTicks;
    return { result, path, ...extra };
  };
  let read: Awaited<ReturnType<typeof readHead>>;
  try {
    const bounded = await withDeadline(readHead(path), timeoutMs);
    if (bounded.timedOut) return done('unknown', `no answer reading pid file ${path} within ${timeoutMs} ms`);
    read = bounded.value;
  } catch (err) {
    const { status, reason } = classifyPidFileError(err, path);
    return done(status, reason);
  }
  const fileMtimeMs = read.mtimeMs;
  const parsed = parsePid(read.text, path);
  if (!parsed.ok) return done('down', parsed.reason, { fileMtimeMs });
  const pid = parsed.pid;
  let proc: ProcessInfo | undefined;
  try {
    const wantArgv0 = (comm: string): boolean => pname !== undefined && comm !== pname;
    const fromScan = scanned?.get(pid);
    proc = fromScan && (fromScan.argv0 !== undefined || !wantArgv0(fromScan.comm)) ? fromScan : readProcess(pid, procRoot, wantArgv0);
  } catch (err) {
    return done('unknown', `cannot read ${procRoot}/${pid}: ${(err as Error).message}`, { pid, fileMtimeMs });
  }
  if (!proc) return done('down', `pid ${pid} from ${path} is not running`, { pid, fileMtimeMs });
  const extra = { pid, fileMtimeMs, process: proc };
  if (isDeadState(proc.state)) return done('down', `pid ${pid} from ${path} is a zombie (\`${proc.comm}\`)`, extra);
  return done('up', `pid ${pid} from ${path} is running (\`${proc.comm}\`)`, extra);
}

// Read buffers no read is using: a read that outlives its deadline keeps its buffer, every other one returns it.
const spareBuffers: Buffer[] = [];

/**
 * The first MAX_BYTES of the file and its mtime: open, fstat, read, close on the thread pool, with plain callbacks
 * (no FileHandle and no promise per step: a pass reads hundreds of pid files).
 */
function readHead(path: string): Promise<{ text: string; mtimeMs: number }> {
  return new Promise((resolve, reject) => {
    open(path, PID_FILE_FLAGS, (openError, fd) => {
      if (openError) return reject(openError);
      const finish = (error: Error | null, value?: { text: string; mtimeMs: number }): void =>
        close(fd, () => (error ? reject(error) : resolve(value!)));
      fstat(fd, (statError, stat) => {
        if (statError) return finish(statError);
        if (!stat.isFile())
          return finish(Object.assign(new Error(`${path} is not a regular file`), { code: stat.isDirectory() ? 'EISDIR' : 'ENOTREG' }));
        const buf = spareBuffers.pop() ?? Buffer.allocUnsafe(MAX_BYTES);
        read(fd, buf, 0, MAX_BYTES, 0, (readError, bytesRead) => {
          const text = readError ? '' : buf.toString('utf8', 0, bytesRead);
          spareBuffers.push(buf);
          finish(readError, { text, mtimeMs: stat.mtimeMs });
        });
      });
    });
  });
}
