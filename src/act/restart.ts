// Runs restart scripts: own session, output to the service's log, bounded by a timeout; several at once,
// bounded, results in input order (I/O).
import { closeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildRestartEnv } from './env.js';
import { formatLogHeader, openRestartLog } from './log.js';
import { messageOf } from '../text/errno.js';
import { classifyRestart, type ScriptOutcome, validateRestartRequest } from './outcome.js';
import { killProcessGroup, readProcStat } from './process-group.js';
import { DEFAULT_DETACH_GRACE_MS, DEFAULT_KILL_GRACE_MS, DEFAULT_SHELL, type RestartRequest, type RestartResult } from './types.js';
import { runBounded } from '../util/bounded.js';

// execa's types accept only fds 1-9 for stdout/stderr, while its runtime hands any integer straight to
// spawn() (lib/stdio/type.js: 'native'): the log fd is typed as 1, "a file descriptor, no stream".
type RunOptions = {
  stdin: 'ignore';
  stdout: 1;
  stderr: 1;
  detached: true;
  cleanup: false;
  env: Record<string, string>;
  extendEnv: false;
  cwd: string;
  reject: false;
};
type Subprocess = import('execa').ResultPromise<RunOptions>;

/** Runs `request.script` with `/bin/sh -c` and reports how it ended; never throws, never hangs past the timeout. */
export async function runRestart(request: RestartRequest): Promise<RestartResult> {
  const started = performance.now();
  const invalid = validateRestartRequest(request);
  const header = formatLogHeader(new Date(), request.service, request.reason);
  const log = openRestartLog(request.logDir, request.service, invalid ? `${header}  not run: ${invalid}\n` : header);
  if (!log.ok || invalid) {
    if (log.ok) closeSync(log.fd);
    const startError = log.ok ? invalid : log.error;
    return classifyRestart({ timedOut: false, ...(startError === undefined ? {} : { startError }) }, log.path, performance.now() - started);
  }
  const outcome = await runScript(request, log.fd);
  return classifyRestart(outcome, log.path, performance.now() - started);
}

// Owns the log fd: it is closed as soon as the child holds its own copies.
async function runScript(request: RestartRequest, logFd: number): Promise<ScriptOutcome> {
  const shell = request.shell ?? DEFAULT_SHELL;
  let subprocess: Subprocess;
  try {
    // Loaded here so a pass that restarts nothing never pays for loading execa.
    const { execa } = await import('execa');
    const options: RunOptions = {
      stdin: 'ignore',
      stdout: logFd as 1,
      stderr: logFd as 1,
      // setsid(): own session and process group, no controlling terminal, so no SIGHUP when the pass ends.
      detached: true,
      cleanup: false,
      env: buildRestartEnv(request.baseEnv, request.service, request.reason),
      extendEnv: false,
      cwd: request.cwd ?? '/',
      reject: false,
    };
    subprocess = execa(shell, ['-c', request.script], options);
  } catch (err) {
    return { timedOut: false, startError: `cannot start ${shell}: ${messageOf(err)}` };
  } finally {
    closeSync(logFd);
  }
  return request.detach ? awaitDetached(subprocess, request) : awaitWithTimeout(subprocess, request);
}

// The pass waits for the script; on timeout the whole group goes, then execa's promise settles by itself
// because no pipe links the script's output to this process.
async function awaitWithTimeout(subprocess: Subprocess, request: RestartRequest): Promise<ScriptOutcome> {
  const pid = subprocess.pid;
  let killing: Promise<void> | undefined;
  const timer = setTimeout(() => {
    if (pid !== undefined && isStillRunning(subprocess, pid)) {
      killing = killProcessGroup(pid, request.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    }
  }, request.timeoutMs);
  const result = await subprocess;
  clearTimeout(timer);
  if (killing) await killing;
  return toOutcome(result, killing !== undefined, pid, subprocess.spawnfile);
}

// Detach: the script is the service; it counts as started once it survived the grace without exiting.
async function awaitDetached(subprocess: Subprocess, request: RestartRequest): Promise<ScriptOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'running'>((r) => (timer = setTimeout(() => r('running'), request.detachGraceMs ?? DEFAULT_DETACH_GRACE_MS)));
  const first = await Promise.race([subprocess, grace]);
  clearTimeout(timer);
  if (first !== 'running') return toOutcome(first, false, subprocess.pid, subprocess.spawnfile);
  subprocess.unref();
  return { timedOut: false, detached: true, ...(subprocess.pid === undefined ? {} : { pid: subprocess.pid }) };
}

// Exited but not yet reaped (a zombie) means it finished just in time: its daemon must not be killed.
function isStillRunning(subprocess: Subprocess, pid: number): boolean {
  return subprocess.exitCode === null && subprocess.signalCode === null && readProcStat(pid)?.state !== 'Z';
}

function toOutcome(result: Awaited<Subprocess>, timedOut: boolean, pid: number | undefined, shell: string): ScriptOutcome {
  const outcome: ScriptOutcome = { timedOut };
  if (pid !== undefined) outcome.pid = pid;
  if (result.exitCode !== undefined) outcome.exitCode = result.exitCode;
  if (result.signal !== undefined) outcome.signal = result.signal;
  if (pid === undefined && result.failed) outcome.startError = `cannot start ${shell}: ${startFailure(result)}`;
  return outcome;
}

// execa's own message embeds the whole command; the cause ("spawn /bin/sh ENOENT") is what the operator needs.
function startFailure(result: Awaited<Subprocess>): string {
  return result.cause instanceof Error ? result.cause.message : result.shortMessage ?? 'unknown error';
}

/** Runs `requests` with at most `limit` in flight (default: all at once); result i belongs to request i. */
export async function runRestarts(requests: readonly RestartRequest[], limit = requests.length): Promise<RestartResult[]> {
  if (requests.length === 0) return [];
  return runBounded(requests.map((r) => () => runRestart(r)), Math.max(1, Math.floor(limit) || 1));
}
