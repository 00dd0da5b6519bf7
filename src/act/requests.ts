// Which scripts a plan runs, and how (pure).
import type { Plan } from '../plan/types.js';
import type { RestartRequest } from './types.js';

/** One request per service the plan restarts, in plan order. */
export function buildRestartRequests(plan: Plan, logDir: string, env: NodeJS.ProcessEnv): RestartRequest[] {
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
      baseEnv: env,
      detach: service.detach,
    });
  }
  return requests;
}
