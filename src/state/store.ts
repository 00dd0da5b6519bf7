// The state file: read, and written atomically (temp file, fsync, rename, fsync of the directory).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StateError } from '../errors.js';
import { printable } from '../text/printable.js';
import { fsyncDirectory, writeDurably } from './durable.js';
import { codeOf, describeErrno, messageOf } from '../text/errno.js';
import { parseState } from './parse.js';
import { emptyState, type ServiceHistory, type State } from '../plan/history.js';
import { hash128 } from '../util/hash.js';
import { isDeadState, readProcess } from '../probe/proc.js';

/** The state file of versions that kept one history per state directory; adopted by a config with none yet. */
export const STATE_FILE = 'state.json';

/**
 * The state file of one config: `state.<hash of its absolute path>.json`, so that two configs sharing a state
 * directory (the default one when only --config differs) keep their own restart limits.
 */
export function stateFileFor(configPath: string): string {
  return `state.${hash128(resolve(configPath))}.json`;
}

// A writer killed between creating its temp file and the rename leaves it behind; it is harmless (readState
// never looks at it) and the next write removes it.
const TMP = /^state\.(?:[0-9a-f]{32}\.)?json\.([1-9][0-9]{0,9})\.[0-9a-z]{1,16}\.tmp$/;
const STALE_AFTER_MS = 60_000;

/**
 * `<file>.<pid>.<salt>.tmp`, in the state directory itself. The salt is new for every write: a name nobody can
 * plant a file at in advance, and O_EXCL refuses whatever is there anyway.
 */
export function buildTmpName(pid: number, file = STATE_FILE, salt = Math.floor(Math.random() * 2 ** 48).toString(36)): string {
  return `${file}.${pid}.${salt}.tmp`;
}

/** A directory entry as the caller saw it. */
export interface TmpCandidate {
  name: string;
  mtimeMs: number;
}

/**
 * Temp files to delete: those of a process that is gone, and any older than a minute (a live writer finishes
 * in milliseconds; an old file under a live pid is a recycled pid). Our own pid's file is ours to overwrite.
 */
export function selectStaleTmpFiles(entries: readonly TmpCandidate[], ownPid: number, now: number, isAlive: (pid: number) => boolean): string[] {
  const stale: string[] = [];
  for (const { name, mtimeMs } of entries) {
    const pid = Number(TMP.exec(name)?.[1]);
    if (!pid || pid === ownPid) continue;
    if (now - mtimeMs > STALE_AFTER_MS || !isAlive(pid)) stale.push(name);
  }
  return stale;
}

/** Larger than any real history; a bigger file is treated as corrupt rather than read into memory. */
export const MAX_STATE_BYTES = 16 * 1024 * 1024;

// O_NOFOLLOW: writes replace state.json by rename, so a symlink there was not put by us. O_NONBLOCK: a FIFO
// fails instead of hanging the pass.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The history of the config at `configPath`: its own file, else (first pass after an upgrade) the state file
 * older versions shared, whose services not in this config are dropped when this pass saves.
 */
export async function readConfigState(stateDir: string, configPath: string): Promise<{ state: State; warning?: string }> {
  const own = await readState(stateDir, stateFileFor(configPath));
  return own.missing ? readState(stateDir, STATE_FILE) : own;
}

/**
 * Which version of a state file is there now: 'none', or its inode, size and change times. Every write replaces the
 * file by a rename, so a write since an earlier look gives another answer; lstat alone, the file is not read.
 */
export function stateVersion(stateDir: string, file: string): string {
  try {
    const st = lstatSync(join(resolve(stateDir), file), { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (err) {
    return codeOf(err) === 'ENOENT' ? 'none' : `unreadable: ${codeOf(err)}`;
  }
}

/** `<stateDir>/<file>`: missing -> empty; corrupt -> empty with a warning; unreadable -> StateError. */
export async function readState(stateDir: string, file = STATE_FILE): Promise<{ state: State; warning?: string; missing?: true }> {
  const path = join(resolve(stateDir), file);
  const read = readText(path);
  if (read === undefined) return { state: emptyState(), missing: true };
  const parsed = 'text' in read ? parseState(read.text) : read;
  if (!('error' in parsed)) return { state: parsed };
  // The error may quote bytes of the file (JSON.parse does): escaped so a warning cannot drive the terminal.
  return { state: emptyState(), warning: `state file ${path} is corrupt (${printable(parsed.error)}); starting fresh` };
}

function readText(path: string): { text: string } | { error: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return undefined;
    const why = codeOf(err) === 'ELOOP' ? 'it is a symbolic link' : messageOf(err);
    throw new StateError(`cannot read state file ${path}: ${why}`, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new StateError(`cannot read state file ${path}: not a regular file`);
    if (stat.size > MAX_STATE_BYTES) return { error: `${stat.size} bytes, more than ${MAX_STATE_BYTES}` };
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(fd)) };
  } catch (err) {
    if (err instanceof StateError) throw err;
    if (err instanceof TypeError) return { error: 'not UTF-8 text' };
    throw new StateError(`cannot read state file ${path}: ${messageOf(err)}`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `<stateDir>/<file>` atomically: temp file (0600) in the same directory, fsync, rename, fsync the
 * directory. Written compactly, and never past the size readState accepts: what is written reads back.
 */
export async function writeState(stateDir: string, state: State, file = STATE_FILE): Promise<void> {
  const dir = resolve(stateDir);
  const path = join(dir, file);
  const text = `${JSON.stringify(state)}\n`;
  // What is written must read back: a NaN saved as null would silently wipe every limit and backoff.
  const check = parseState(text);
  if ('error' in check) throw new StateError(`refusing to write an invalid state to ${path}: ${check.error}`);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_STATE_BYTES)
    throw new StateError(`refusing to write state file ${path}: ${bytes} bytes, more than the ${MAX_STATE_BYTES} it may hold`);
  const tmp = join(dir, buildTmpName(process.pid, file));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    removeStaleTmpFiles(dir);
    writeDurably(tmp, text);
    renameSync(tmp, path);
    fsyncDirectory(dir);
  } catch (err) {
    // Never remove what was at the temp name before: only a file this write created.
    if (codeOf(err) !== 'EEXIST') tryUnlink(tmp);
    throw new StateError(`cannot write state file ${path}: ${describeErrno(err)}`, { cause: err });
  }
}

/**
 * True when two states hold the same histories, whatever the order of their services (pure). A pass whose state
 * this leaves unchanged (every healthy pass) skips the write, and with it two fsyncs.
 */
export function sameState(a: State, b: State): boolean {
  const names = Object.keys(a.services);
  if (names.length !== Object.keys(b.services).length) return false;
  for (const name of names) {
    const x = a.services[name]!;
    const y = Object.hasOwn(b.services, name) ? b.services[name] : undefined;
    if (!y || !sameHistory(x, y)) return false;
  }
  return true;
}

// Fields holding a small flat object (compared key by key) or a list of them (restarts): every other field is compared
// with ===. Both lists are Records, so a field added to ServiceHistory must be named here for this file to compile.
type ObjectField = 'cpuSample' | 'pause' | 'reported';
type ScalarField = Exclude<keyof ServiceHistory, 'restarts' | ObjectField>;
const SCALAR_FIELDS = Object.keys({
  downSince: true,
  healthySince: true,
  backoffUntil: true,
  backoffLevel: true,
  unhealthyPasses: true,
  dependencyDown: true,
  restartsTotal: true,
  failuresTotal: true,
} satisfies Record<ScalarField, true>) as ScalarField[];
const OBJECT_FIELDS = Object.keys({ cpuSample: true, pause: true, reported: true } satisfies Record<ObjectField, true>) as ObjectField[];

function sameHistory(x: ServiceHistory, y: ServiceHistory): boolean {
  for (const field of SCALAR_FIELDS) if (x[field] !== y[field]) return false;
  for (const field of OBJECT_FIELDS) if (!sameFlat(x[field], y[field])) return false;
  if (x.restarts.length !== y.restarts.length) return false;
  return x.restarts.every((r, i) => sameFlat(r, y.restarts[i]));
}

// Two flat objects with the same keys holding the same values (both absent counts as the same).
function sameFlat(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function removeStaleTmpFiles(dir: string): void {
  const entries = [];
  for (const name of readdirSync(dir)) {
    if (!TMP.test(name)) continue;
    try {
      entries.push({ name, mtimeMs: lstatSync(join(dir, name)).mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  for (const name of selectStaleTmpFiles(entries, process.pid, Date.now(), isProcessAlive)) tryUnlink(join(dir, name));
}

// A zombie (or a dying process) has written its last: only its pid is left, and its temp file goes. A /proc entry
// that cannot be read counts as alive: its file stays until it is a minute old.
function isProcessAlive(pid: number): boolean {
  try {
    const proc = readProcess(pid, '/proc', () => false);
    return proc !== undefined && !isDeadState(proc.state);
  } catch {
    return true;
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
