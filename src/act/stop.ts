// Stopping a running service before its restart: its stop script, or SIGTERM to the process liveness matched,
// then SIGKILL at the stop timeout (I/O). Never a signal to a pid that no longer names that very process.
import { isDeadState, readProcess } from '../probe/proc.js';
import type { RestartRequest, RestartResult, StopRequest, StopResult } from './types.js';
import { monotonicMs } from '../util/clock.js';
import { waitUntilGone } from './wait-gone.js';

/** After SIGKILL the kernel needs a moment to tear a process down; past this the stop has failed. */
const AFTER_KILL_MS = 2000;

/**
 * Stops the service of `request.stop`. With a stop script: runs it (bounded by the stop timeout) through `run`;
 * a failure is a failed stop. Then, or without a script after SIGTERM, waits for the process to exit until the
 * stop timeout, and sends SIGKILL if it has not.
 */
export async function runStop(
  request: RestartRequest & { stop: StopRequest },
  run: (r: RestartRequest) => Promise<RestartResult>,
): Promise<StopResult> {
  const started = monotonicMs();
  const { stop } = request;
  const took = (): number => Math.round(monotonicMs() - started);
  const target = stop.pid !== undefined && stop.startTicks !== undefined ? { pid: stop.pid, startTicks: stop.startTicks } : undefined;
  if (stop.script !== undefined) {
    const script = await run({
      ...request,
      script: stop.script,
      timeoutMs: stop.timeoutMs,
      detach: false,
      reason: `stop_script before restarting: ${request.reason}`,
    });
    // A stop script that could not even be started did nothing: like a restart script, it is no attempt.
    const exit = { attempted: script.pid !== undefined, ...(script.exitCode === undefined ? {} : { exitCode: script.exitCode }) };
    if (!script.ok) {
      const why =
        script.error ??
        (script.timedOut
          ? `still running after ${stop.timeoutMs} ms: killed`
          : script.signal
            ? `killed by ${script.signal}`
            : `exited ${script.exitCode}`);
      return { ok: false, method: 'stop_script', ...exit, durationMs: took(), error: `stop_script ${why}; not restarted (log ${script.logPath})` };
    }
    if (!target) return { ok: true, method: 'stop_script', ...exit, durationMs: took() };
    const left = Math.max(0, stop.timeoutMs - took());
    if (await waitGone(target, left)) return { ok: true, method: 'stop_script', ...exit, durationMs: took() };
    return finishWithKill(target, 'stop_script', took, exit);
  }
  if (!target) {
    return {
      ok: false,
      method: 'signal',
      attempted: false,
      durationMs: took(),
      error: 'no process to signal (liveness found no pid); not restarted',
    };
  }
  if (!signalIfSame(target, 'SIGTERM')) return { ok: true, method: 'signal', attempted: false, durationMs: took() };
  if (await waitGone(target, stop.timeoutMs)) return { ok: true, method: 'signal', signal: 'SIGTERM', attempted: true, durationMs: took() };
  return finishWithKill(target, 'signal', took, { attempted: true });
}

interface Target {
  pid: number;
  startTicks: number;
}

async function finishWithKill(
  target: Target,
  method: StopResult['method'],
  took: () => number,
  extra: { attempted: boolean; exitCode?: number },
): Promise<StopResult> {
  if (!signalIfSame(target, 'SIGKILL')) return { ok: true, method, ...extra, durationMs: took() };
  if (await waitGone(target, AFTER_KILL_MS)) return { ok: true, method, signal: 'SIGKILL', ...extra, durationMs: took() };
  return {
    ok: false,
    method,
    signal: 'SIGKILL',
    ...extra,
    durationMs: took(),
    error: `pid ${target.pid} still there ${AFTER_KILL_MS} ms after SIGKILL; not restarted`,
  };
}

/** True when the pid no longer names the process liveness saw: exited, a zombie, or reused by another one. */
export function isGone(target: Target): boolean {
  let proc: ReturnType<typeof readProcess>;
  try {
    proc = readProcess(target.pid);
  } catch {
    // An unreadable entry: it exists, so not gone.
    return false;
  }
  return proc === undefined || isDeadState(proc.state) || proc.startTicks !== target.startTicks;
}

/** Sends the signal only when the pid still names that very process; false when it is gone. */
function signalIfSame(target: Target, signal: 'SIGTERM' | 'SIGKILL'): boolean {
  if (target.pid <= 1 || isGone(target)) return false;
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false;
  }
}

function waitGone(target: Target, timeoutMs: number): Promise<boolean> {
  return waitUntilGone(() => isGone(target), timeoutMs);
}
