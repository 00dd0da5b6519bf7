// One pass, wired: read config -> probe -> decide -> restart -> report. Owns the clock and the real probes.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RestartRequest, RestartResult } from './act/types.js';
import type { CliOptions } from './cli/args.js';
import { readConfig, resolveConfigPath } from './config/load.js';
import type { Config, Dependency, Service } from './config/types.js';
import { buildEdges, dependencyOrder } from './graph/graph.js';
import { decide, depsToProbe } from './plan/decide.js';
import type { Plan } from './plan/types.js';
import { runBounded } from './probe/bounded.js';
import { probeDependencies } from './probe/deps.js';
import { probeKey } from './probe/key.js';
import { needsProcessScan, probeLiveness } from './probe/liveness.js';
import { scanProcesses } from './probe/proc.js';
import type { ProbeResult } from './probe/types.js';
import { buildReport, type PassReport } from './report/model.js';
import { resolveStateDir } from './state/location.js';

type Env = NodeJS.ProcessEnv;

/** `validate`: reads and checks the config; throws ConfigError with every problem. */
export async function runValidate(options: Pick<CliOptions, 'config'>, env: Env): Promise<{ config: string; services: string[] }> {
  const path = resolveConfigPath(options.config, env);
  const config = await readConfig(path);
  return { config: path, services: config.services.map((s) => s.name) };
}

/** One full pass; with dryRun everything is probed and decided but nothing is run. */
export async function runPass(options: CliOptions, env: Env): Promise<PassReport> {
  const started = performance.now();
  const config = await readConfig(resolveConfigPath(options.config, env));
  const stateDir = resolveStateDir(options.stateDir, env, process.getuid?.() ?? -1);
  const { services, defaults } = config;
  const liveness = await observeLiveness(services, defaults.maxConcurrentProbes);
  const readiness = await observeReadiness(depsToProbe(services, liveness), defaults.maxConcurrentProbes);
  const plan = decide(services, dependencyOrder(buildEdges(services)), { liveness, readiness });
  const logDir = defaults.logDir ?? join(stateDir, 'logs');
  const restarts = options.dryRun ? new Map<string, RestartResult>() : await restartPlanned(plan, config, logDir, env);
  return buildReport(plan, restarts, options.dryRun, performance.now() - started);
}

/** One /proc scan (only when some service is looked up by name) serves every liveness probe. */
async function observeLiveness(services: readonly Service[], limit: number): Promise<Map<string, ProbeResult>> {
  const table = needsProcessScan(services) ? tryScanProcesses() : undefined;
  const exclude = new Set([process.pid]);
  const results = await runBounded(
    services.map((s) => async () => (await probeLiveness(s, table, { exclude })).result),
    limit,
  );
  return new Map(services.map((s, i) => [s.name, results[i]!]));
}

// An unreadable /proc leaves the services looked up by name unknown (never restarted), not the whole pass.
function tryScanProcesses(): ReturnType<typeof scanProcesses> | undefined {
  try {
    return scanProcesses();
  } catch {
    return undefined;
  }
}

/** Readiness by dependency; probeDependencies probes each distinct target once. */
async function observeReadiness(deps: readonly Dependency[], limit: number): Promise<Map<Dependency, ProbeResult>> {
  const byKey = await probeDependencies(deps, limit);
  return new Map(deps.map((dep) => [dep, byKey.get(probeKey(dep))!]));
}

/** Runs every planned restart in parallel; the restart machinery is loaded only when there is one. */
async function restartPlanned(plan: Plan, config: Config, logDir: string, env: Env): Promise<Map<string, RestartResult>> {
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const requests: RestartRequest[] = [];
  for (const entry of plan.entries) {
    const service = byName.get(entry.name);
    if (entry.verdict.action !== 'restart' || !service) continue;
    requests.push({ service: service.name, script: service.script, reason: entry.verdict.reason, timeoutMs: service.restartTimeoutMs, logDir, baseEnv: env });
  }
  if (requests.length === 0) return new Map();
  const { runRestarts } = await import('./act/restarts.js');
  const results = await runRestarts(requests);
  return new Map(requests.map((r, i) => [r.service, results[i]!]));
}
