// Shared test helpers: temp dirs, polling with a deadline, pid files, /proc/PID/stat, processes stopped by pid.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

/** Tests run from the repository root (`npm test`). */
export const repoRoot = process.cwd();
export const fixture = (...parts: string[]): string => resolve(repoRoot, 'fixtures', ...parts);
/** The bundle that `npm run build` writes; end-to-end tests run it. */
export const bundle = resolve(repoRoot, 'dist', 'autoheal-once.cjs');

/**
 * A fresh temp dir, removed by the returned cleanup; given the test's context, removed by itself after the test.
 * A string names the dir's prefix instead. node runs a test's after-hooks in the order they were added, so this
 * removal comes before any hook added later (a process stopped there may still be writing into the dir): stop
 * processes in the test body or in a hook added first, and the removal retries a dir that fills while it empties.
 */
export function tempDir(owner: { after: (fn: () => void) => unknown } | string = 'autoheal-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), typeof owner === 'string' ? owner : 'autoheal-test-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  if (typeof owner !== 'string') owner.after(cleanup);
  return { dir, cleanup };
}

/**
 * Polls `check` until it returns a truthy value or the deadline passes. The default deadline is a hang detector:
 * what tests wait for (a process starting, a file appearing) takes well under a second on an idle machine.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The fields of /proc/PID/stat that tests read (after the command name, which may hold spaces and ')'). */
export interface ProcStat {
  /** R, S, D, Z, T... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
}

/** /proc/PID/stat of a process, or undefined once it is gone. */
export function procStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]) };
}

/** True when a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** The pid in a pid file, or undefined while the file is missing or holds no pid above 1. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until a pid file holds a pid, and returns it. */
export async function waitForPidFile(path: string, timeoutMs?: number): Promise<number> {
  return (await waitFor(() => readPidFile(path), `a pid in ${path}`, timeoutMs)) as number; // waitFor returns only truthy values
}

/** A word quoted for /bin/sh. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** Kills a pid (and its group when asked) and waits until it is gone or a zombie. */
export async function killPid(pid: number, opts: { group?: boolean } = {}): Promise<void> {
  try {
    process.kill(opts.group ? -pid : pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitFor(() => !isAlive(pid), `pid ${pid} to die`);
}

/** Starts a child that the test owns; stop it with killPid(child.pid). */
export function startChild(command: string, args: string[], opts: { detached?: boolean } = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', detached: opts.detached ?? false });
  child.unref();
  return child;
}
