// Which scripts a plan runs, and how (pure).
import type { Plan, PlanEntry } from '../plan/types.js';
import type { RestartRequest, StopRequest } from './types.js';

/** One request per service the plan restarts, in plan order. */
export function buildRestartRequests(plan: Plan, logDir: string, env: NodeJS.ProcessEnv, logMaxBytes?: number): RestartRequest[] {
  const requests: RestartRequest[] = [];
  for (const entry of plan.entries) {
    if (entry.verdict.action !== 'restart') continue;
    const { service } = entry;
    requests.push({
      service: service.name,
      script: service.script,
      reason: entry.verdict.reason,
      timeoutMs: service.restartTimeoutMs,
      logDir,
      ...(logMaxBytes === undefined ? {} : { logMaxBytes }),
      baseEnv: env,
      detach: service.detach,
      ...(service.runAs === undefined ? {} : { runAs: service.runAs }),
      ...(entry.verdict.state === 'unhealthy' && service.health ? { stop: buildStopRequest(entry) } : {}),
    });
  }
  return requests;
}

/** How a running service is stopped: its stop script, or SIGTERM to the very process liveness matched. */
export function buildStopRequest(entry: PlanEntry): StopRequest {
  const health = entry.service.health;
  const { pid, startTicks } = entry.liveness;
  return {
    ...(pid === undefined ? {} : { pid }),
    ...(startTicks === undefined ? {} : { startTicks }),
    ...(health?.stopScript === undefined ? {} : { script: health.stopScript }),
    timeoutMs: health?.stopTimeoutMs ?? 10_000,
  };
}
