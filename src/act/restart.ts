// Runs restart scripts: own session, output to the service's log, bounded by a timeout; several at once,
// bounded, results in input order (I/O).
import { closeSync, writeSync } from 'node:fs';
import { buildRestartEnv } from './env.js';
import { join, resolve } from 'node:path';
import { buildLogFileName, formatLogHeader, openRestartLog } from './log.js';
import { messageOf } from '../text/errno.js';
import { classifyRestart, type ScriptOutcome, validateRestartRequest } from './outcome.js';
import { killProcessGroup, readProcStat } from './process-group.js';
import { DEFAULT_DETACH_GRACE_MS, DEFAULT_KILL_GRACE_MS, DEFAULT_SHELL, type RestartRequest, type RestartResult } from './types.js';
import { runBounded } from '../util/bounded.js';
import { prepareCommand } from '../util/run-as.js';
import type { AccountLookup } from '../util/accounts.js';
import { monotonicMs } from '../util/clock.js';

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

/**
 * Restarts one service: a running one is stopped first (see stop.ts), and when that fails its script is not run.
 * Never throws, never hangs past the stop and restart timeouts. `user` and `group` are looked up through
 * `accounts` (the pass's, which asks each name once; by default afresh).
 */
export async function runRestart(request: RestartRequest, accounts?: AccountLookup): Promise<RestartResult> {
  if (!request.stop) return runScriptLogged(request, accounts);
  const started = monotonicMs();
  const { runStop } = await import('./stop.js');
  const stop = await runStop({ ...request, stop: request.stop }, (r) => runScriptLogged(r, accounts));
  if (!stop.ok) {
    const logPath = join(resolve(request.logDir), buildLogFileName(request.service));
    return { ok: false, timedOut: false, durationMs: Math.round(monotonicMs() - started), logPath, error: stop.error ?? 'stop failed', stop };
  }
  const result = await runScriptLogged(request, accounts);
  return { ...result, durationMs: Math.round(monotonicMs() - started), stop };
}

/** Runs `request.script` with `/bin/sh -c` and reports how it ended; never throws, never hangs past the timeout. */
async function runScriptLogged(request: RestartRequest, accounts: AccountLookup | undefined): Promise<RestartResult> {
  const started = monotonicMs();
  const invalid = validateRestartRequest(request);
  const header = formatLogHeader(new Date(), request.service, request.reason);
  const log = openRestartLog(request.logDir, request.service, invalid ? `${header}  not run: ${invalid}\n` : header, request.logMaxBytes);
  if (invalid) {
    if (log.ok) closeSync(log.fd);
    return classifyRestart({ timedOut: false, startError: invalid }, log.path, monotonicMs() - started);
  }
  // A log that cannot be written (a full or read-only disk) must not stop the healing: the output is discarded.
  const outcome = await runScript(request, log.ok ? log.fd : undefined, accounts);
  const result = classifyRestart(outcome, log.path, monotonicMs() - started);
  return log.ok ? result : { ...result, logError: log.error };
}

// Owns the log fd: it is closed as soon as the child holds its own copies. Without one, output is discarded.
async function runScript(request: RestartRequest, logFd: number | undefined, accounts: AccountLookup | undefined): Promise<ScriptOutcome> {
  const shell = request.shell ?? DEFAULT_SHELL;
  let subprocess: Subprocess;
  try {
    const env = buildRestartEnv(request.baseEnv, request.service, request.reason);
    const runAs = request.cwd === undefined ? (request.runAs ?? {}) : { ...request.runAs, cwd: request.cwd };
    const command = await prepareCommand(request.script, runAs, env, shell, accounts);
    if ('error' in command) {
      if (logFd !== undefined) writeSync(logFd, `  not run: ${command.error}\n`);
      return { timedOut: false, startError: command.error };
    }
    // Loaded here so a pass that restarts nothing never pays for loading execa.
    const { execa } = await import('execa');
    const options: RunOptions = {
      stdin: 'ignore',
      stdout: (logFd ?? 'ignore') as 1,
      stderr: (logFd ?? 'ignore') as 1,
      // setsid(): own session and process group, no controlling terminal, so no SIGHUP when the pass ends.
      detached: true,
      cleanup: false,
      env: command.env,
      extendEnv: false,
      cwd: command.cwd,
      reject: false,
    };
    subprocess = execa(command.file, command.args, options);
  } catch (err) {
    return { timedOut: false, startError: `cannot start ${shell}: ${messageOf(err)}` };
  } finally {
    if (logFd !== undefined) closeSync(logFd);
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
  return result.cause instanceof Error ? result.cause.message : (result.shortMessage ?? 'unknown error');
}

/**
 * Runs `requests` with at most `limit` in flight (default: all at once); result i belongs to request i. Accounts
 * are looked up through `accounts` (see runRestart).
 */
export async function runRestarts(requests: readonly RestartRequest[], limit = requests.length, accounts?: AccountLookup): Promise<RestartResult[]> {
  if (requests.length === 0) return [];
  return runBounded(
    requests.map((r) => () => runRestart(r, accounts)),
    Math.max(1, Math.floor(limit) || 1),
  );
}
