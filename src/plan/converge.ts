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

/**
 * Whether a service is still in flux after a round, so the next round probes it again: down and waiting (for a
 * dependency, or for the boot grace when it ends within the run), or just restarted and not yet seen up.
 * Healthy, unknown, given up, and a restart that failed in this run are settled: no new probe in this run.
 */
export function isPending(verdict: Verdict, runEnd: number): boolean {
  switch (verdict.state) {
    case 'blocked':
    case 'starting':
    case 'down':
      return true;
    case 'booting':
      return verdict.until < runEnd;
    case 'healthy':
    case 'unknown':
    case 'gave_up':
      return false;
  }
}

/** The services the next round probes again; those whose restart failed in this run are not retried. */
export function pendingServices(plan: Plan, failed: ReadonlySet<string>, runEnd: number): Service[] {
  return plan.entries.filter((e) => !failed.has(e.service.name) && isPending(e.verdict, runEnd)).map((e) => e.service);
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
