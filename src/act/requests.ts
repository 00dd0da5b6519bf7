// Which scripts a plan runs, and how (pure).
import type { Config } from '../config/types.js';
import type { Plan } from '../plan/types.js';
import type { RestartRequest } from './types.js';

/** One request per service the plan restarts, in plan order. */
export function buildRestartRequests(plan: Plan, config: Config, logDir: string, env: NodeJS.ProcessEnv): RestartRequest[] {
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const requests: RestartRequest[] = [];
  for (const entry of plan.entries) {
    const service = byName.get(entry.name);
    if (entry.verdict.action !== 'restart' || !service) continue;
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
