// Liveness from a pid file: the pid it names exists and is not a zombie.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Reads the pid file asynchronously (a hung filesystem cannot hang the pass) and checks its pid in /proc. */
export async function probePidFile(path: string, timeoutMs: number, procRoot = '/proc'): Promise<PidFileObservation> {
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
    proc = readProcess(pid, procRoot);
  } catch (err) {
    return done('unknown', `cannot read ${procRoot}/${pid}: ${(err as Error).message}`, { pid, fileMtimeMs });
  }
  if (!proc) return done('down', `pid ${pid} from ${path} is not running`, { pid, fileMtimeMs });
  const extra = { pid, fileMtimeMs, process: proc };
  if (isDeadState(proc.state)) return done('down', `pid ${pid} from ${path} is a zombie (\`${proc.comm}\`)`, extra);
  return done('up', `pid ${pid} from ${path} is running (\`${proc.comm}\`)`, extra);
}

// The first MAX_BYTES of the file and its mtime, through one open file handle.
async function readHead(path: string): Promise<{ text: string; mtimeMs: number }> {
  // O_NONBLOCK: opening a FIFO put in place of a pid file would otherwise block a thread for good.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: stat.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    const { mtimeMs } = stat;
    const buf = Buffer.alloc(MAX_BYTES);
    const { bytesRead } = await handle.read(buf, 0, MAX_BYTES, 0);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), mtimeMs };
  } finally {
    await handle.close();
  }
}
