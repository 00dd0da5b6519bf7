// Liveness from a pid file: the pid it names exists and is not a zombie.
import { close, constants, fstat, open, read } from 'node:fs';
import type { ProbeResult, ProcessInfo } from './types.js';
import { readProcess } from './proc.js';
import { isDeadState } from './proc-parse.js';
import { classifyPidFileError, parsePid } from './pid-file-parse.js';
import { startStopwatch, withDeadline } from './deadline.js';

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
    return { result, path, ...extra };
  };
  let read: Awaited<ReturnType<typeof readHead>>;
  try {
    const bounded = await withDeadline(readHead(path), timeoutMs);
    if (bounded.timedOut) return done('unknown', `no answer reading pid file ${path} within ${timeoutMs} ms`);
    read = bounded.value;
  } catch (err) {
    const { status, reason } = classifyPidFileError((err as NodeJS.ErrnoException).code, path);
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
    // O_NONBLOCK: opening a FIFO put in place of a pid file would otherwise block a thread for good.
    open(path, constants.O_RDONLY | constants.O_NONBLOCK, (openError, fd) => {
      if (openError) return reject(openError);
      const finish = (error: Error | null, value?: { text: string; mtimeMs: number }): void =>
        close(fd, () => (error ? reject(error) : resolve(value!)));
      fstat(fd, (statError, stat) => {
        if (statError) return finish(statError);
        if (!stat.isFile()) return finish(Object.assign(new Error(`${path} is not a regular file`), { code: stat.isDirectory() ? 'EISDIR' : 'ENOTREG' }));
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
