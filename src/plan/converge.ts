// Converging (pure): after the first wave, which services a new round looks at again, and when the run is done.
import type { Service } from '../config/types.js';
import type { ProbeResult } from '../probe/types.js';
import type { Plan, Verdict } from './types.js';

/** Rounds start about this far apart while the run only waits (a dependency outside it, the boot grace). */
export const ROUND_INTERVAL_MS = 1000;
/**
 * Right after a restart of this run, rounds come faster: its dependents are likely to be ready within moments
 * (as soon as it opens its port), and each round then costs only the probes of what is still in flux.
 */
export const FAST_ROUND_INTERVAL_MS = 100;
/** How long after the latest restart of the run the rounds stay fast. */
export const FAST_ROUNDS_FOR_MS = 10_000;

/** Whether a service is down and waiting: for a dependency, or for a boot grace that ends within the run. */
export function isWaiting(verdict: Verdict, runEnd: number): boolean {
  return verdict.state === 'blocked' || (verdict.state === 'booting' && verdict.until < runEnd);
}

/** Whether a service is coming up: restarted in this round, or starting (inside its start grace). */
export function isComingUp(verdict: Verdict): boolean {
  return verdict.state === 'starting' || verdict.action === 'restart';
}

/**
 * The services still in flux after a round, which the next round probes again: those waiting, and those coming
 * up that a waiting service depends on (a service coming up that nothing waits for is left to the next run).
 * Healthy, unknown, given up, and a restart that failed in this run are settled: no new probe in this run.
 */
export function pendingServices(plan: Plan, failed: ReadonlySet<string>, runEnd: number): Service[] {
  const live = plan.entries.filter((e) => !failed.has(e.service.name));
  const waiting = live.filter((e) => isWaiting(e.verdict, runEnd));
  const awaited = new Set(waiting.flatMap((e) => e.service.deps.map((d) => d.name)));
  return live.filter((e) => waiting.includes(e) || (isComingUp(e.verdict) && awaited.has(e.service.name))).map((e) => e.service);
}

/** Liveness for the next decision: fresh results for what was probed again, the last ones for what is settled. */
export function mergeLiveness(last: ReadonlyMap<string, ProbeResult>, fresh: ReadonlyMap<string, ProbeResult>): Map<string, ProbeResult> {
  return new Map([...last, ...fresh]);
}

/**
 * When the next round may start (epoch ms), or undefined when the run must end: a second after the previous one
 * started, a quarter of that within FAST_ROUNDS_FOR_MS of the run's latest restart, never at or past the end.
 */
export function nextRoundAt(lastRoundStart: number, now: number, runEnd: number, lastRestartAt?: number): number | undefined {
  const fast = lastRestartAt !== undefined && now - lastRestartAt < FAST_ROUNDS_FOR_MS;
  const at = Math.max(now, lastRoundStart + (fast ? FAST_ROUND_INTERVAL_MS : ROUND_INTERVAL_MS));
  return at < runEnd ? at : undefined;
}

/** A probe timeout that ends by the end of the run (at least 1 ms). */
export function clampTimeout(timeoutMs: number, now: number, runEnd: number): number {
  return Math.max(1, Math.min(timeoutMs, runEnd - now));
}
