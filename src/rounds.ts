// The healing of one run, in rounds: the first probes everything, decides and restarts; with a converge budget
// more rounds follow (about a second apart, faster right after a restart), each probing again only what is still
// in flux and restarting each waiting service as soon as its dependencies are ready. Owns the probes, restarts,
// state and audit writes.
import type { RestartRequest, RestartResult } from './act/types.js';
import type { Config, Dependency, Service } from './config/types.js';
import { buildEdges, dependencyOrder } from './graph/graph.js';
import { clampTimeout, mergeLiveness, nextRoundAt, pendingServices } from './plan/converge.js';
import { bootGraceEnd, decide, depsToProbe } from './plan/decide.js';
import { keepRunCounters, recordPass, type State } from './plan/history.js';
import type { HealthSeen } from './plan/health.js';
import type { Plan, PlanEntry } from './plan/types.js';
import { observeHealth, observeLiveness, observeReadiness } from './probe/observe.js';
import { readUptimeMs } from './probe/proc.js';
import type { ProbeResult } from './probe/types.js';
import { isAttempt } from './act/outcome.js';
import { buildRestartRequests } from './act/requests.js';
import type { RoundReport } from './report/model.js';
import type { StopWatch } from './signals.js';
import { sameState } from './state/store.js';
import { appendAudit, buildOutcomeEvents, buildStartedEvents, type AuditEvent } from './state/audit.js';
import { createPassAccounts, type AccountLookup } from './util/accounts.js';

export interface RunContext {
  config: Config;
  stateDir: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  signals: StopWatch;
  warnings: string[];
  /** When the run began (epoch ms): its converge budget and its timeline count from here. */
  startedAt: number;
  /** When its first round begins, if later than startedAt: a run that decides again under the lock. */
  firstRoundAt?: number;
  /** The converge budget in ms; 0: one round only. */
  convergeMs: number;
  /** The pass's account lookups: a pass that decides again keeps the answers it already has. */
  accounts: AccountLookup;
  /**
   * Saves the history, after claiming the lock; a failure to write (full or read-only disk) is remembered by the
   * caller, never thrown.
   */
  save: (state: State) => Promise<void>;
  /**
   * Called before each write and each batch of restarts: takes the pass lock the first time. Throws when another
   * pass holds it, and when the run must decide again under it (always before restarts; before a write, when
   * another pass has changed the history since this run read it).
   */
  claim: (purpose: ClaimPurpose) => Promise<void>;
}

/** What a claim is for: restarts are only ever decided under the lock. */
export type ClaimPurpose = 'write' | 'restart';

/** A restart of this run, with the round that ran it and when, counted from the start of the run. */
export interface RunRestart {
  result: RestartResult;
  round: number;
  atMs: number;
}

export interface RunOutcome {
  /** Per service, the entry that explains its final state: of the round that restarted it, else of the last. */
  plan: Plan;
  restarts: Map<string, RunRestart>;
  /** One record per round, the first numbered 1; a run that does not converge has one. */
  timeline: RoundReport[];
}

/** Probes, decides and restarts in rounds until nothing is left to wait for or the budget is spent. */
export async function healInRounds(ctx: RunContext, history: State): Promise<RunOutcome> {
  const { config, startedAt } = ctx;
  const order = dependencyOrder(buildEdges(config.services));
  const runEnd = startedAt + ctx.convergeMs;
  const restarts = new Map<string, RunRestart>();
  const failed = new Set<string>();
  const explaining = new Map<string, PlanEntry>();
  const timeline: RoundReport[] = [];
  let state = history;
  let liveness = new Map<string, ProbeResult>();
  let health = new Map<string, HealthSeen>();
  let probe: readonly Service[] = config.services;
  let plan: Plan = { entries: [] };
  let lastRestartAt: number | undefined;
  const { accounts } = ctx;
  for (let round = 1, roundStart = ctx.firstRoundAt ?? startedAt; ; round += 1) {
    // A converging run never probes past its budget; a single pass bounds each probe by its own timeout only.
    const limit = ctx.convergeMs > 0 ? runEnd : Infinity;
    const fresh = await observeLiveness(probe, config.defaults.maxConcurrentProbes);
    liveness = mergeLiveness(liveness, fresh);
    const seen = await observeDeps(ctx, probe, liveness, roundStart, limit, accounts);
    health = new Map([...health, ...seen.health]);
    // Health is counted once per run: later rounds judge checks against the counters the run began with.
    const judged = round === 1 ? state : keepRunCounters(state, history);
    plan = decide(config.services, order, { ...seen, health }, judged, roundStart);
    const wanted = ctx.signals.stopped() ? [] : buildRestartRequests(plan, ctx.logDir, ctx.env, config.defaults.logMaxBytes);
    const requests = wanted.filter((r) => !failed.has(r.service) && !restarts.has(r.service));
    const results = await restart(requests, ctx, state, plan, roundStart, accounts);
    if (results.size > 0) lastRestartAt = Date.now();
    // A script that never started (it could not be spawned) is not an attempt: it does not count against the limits.
    // A stop that failed is one: repeated every pass, it would stop the service in a loop past every limit.
    const ran = new Map([...results].filter(([, r]) => isAttempt(r)));
    const next = recordPass(state, plan, ran, roundStart);
    if (!sameState(next, state)) await ctx.save(next);
    state = next;
    await audit(ctx, buildOutcomeEvents(plan, results, Date.now()));
    for (const entry of plan.entries) {
      const name = entry.service.name;
      const result = results.get(name);
      if (result) {
        restarts.set(name, { result, round, atMs: roundStart - startedAt });
        if (!result.ok) failed.add(name);
      }
      if (!restarts.has(name) || result) explaining.set(name, entry);
    }
    probe = ctx.convergeMs > 0 ? pendingServices(plan, failed, runEnd) : [];
    timeline.push(roundRecord(round, roundStart - startedAt, fresh, plan, results, probe));
    if (probe.length === 0 || ctx.signals.stopped()) break;
    const at = nextRoundAt(roundStart, Date.now(), runEnd, lastRestartAt);
    if (at === undefined) break;
    await sleepUntil(at);
    if (ctx.signals.stopped()) break;
    roundStart = Date.now();
  }
  return { plan: { entries: plan.entries.map((e) => explaining.get(e.service.name) ?? e) }, restarts, timeline };
}

/** One look without acting (a dry run): every service probed, what its dependents need probed, decided. */
export async function decideOnce(ctx: Pick<RunContext, 'config' | 'signals'>, history: State, now: number): Promise<Plan> {
  const { config } = ctx;
  const liveness = await observeLiveness(config.services, config.defaults.maxConcurrentProbes);
  const seen = await observeDeps(ctx, config.services, liveness, now, Infinity, createPassAccounts());
  return decide(config.services, dependencyOrder(buildEdges(config.services)), seen, history, now);
}

/**
 * What the decision needs besides liveness: the dependencies of down services and of running ones with health
 * settings, each probe ending by `limit`; the checks and usage of running services with health settings; the
 * boot grace.
 */
async function observeDeps(
  ctx: Pick<RunContext, 'config' | 'signals'>,
  probed: readonly Service[],
  liveness: ReadonlyMap<string, ProbeResult>,
  now: number,
  limit: number,
  accounts: AccountLookup,
) {
  const { defaults } = ctx.config;
  // After a stop signal no new probe starts: unprobed dependencies leave their services blocked.
  const stopped = ctx.signals.stopped() !== undefined;
  const deps = stopped ? [] : depsToProbe(probed, liveness);
  const bounded = deps.map((d): Dependency => (d.timeoutMs < limit - now ? d : { ...d, timeoutMs: clampTimeout(d.timeoutMs, now, limit) }));
  const [results, health] = await Promise.all([
    observeReadiness(bounded, defaults.maxConcurrentProbes, accounts),
    stopped ? new Map<string, HealthSeen>() : observeHealth(probed, liveness, defaults.maxConcurrentProbes, accounts),
  ]);
  const readiness = new Map(deps.map((d, i) => [d, results.get(bounded[i]!)!]));
  const bootUntil = defaults.bootGraceMs > 0 ? bootGraceEnd(readUptimeMs(), defaults.bootGraceMs, now) : undefined;
  return bootUntil === undefined ? { liveness, readiness, health } : { liveness, readiness, health, bootUntil };
}

/**
 * Runs the planned restarts in parallel. Before any script runs, the attempts are saved and audited, so a run
 * killed mid-restart still counts them: the next run sees the start grace and the limits, not a clean slate.
 */
async function restart(
  requests: RestartRequest[],
  ctx: RunContext,
  state: State,
  plan: Plan,
  now: number,
  accounts: AccountLookup,
): Promise<Map<string, RestartResult>> {
  if (requests.length === 0) return new Map();
  await ctx.claim('restart');
  const attempted = new Map(requests.map((r) => [r.service, { ok: true }]));
  await ctx.save(recordPass(state, plan, attempted, now));
  await audit(ctx, buildStartedEvents(requests, now));
  // Loaded only now, so a pass that restarts nothing never loads execa.
  const { runRestarts } = await import('./act/restart.js');
  const results = await runRestarts(requests, requests.length, accounts);
  return new Map(requests.map((r, i) => [r.service, results[i]!]));
}

/**
 * Appends to the audit log, claiming the lock first as every write does. It comes after the restarts it tells of and
 * the history that counts them were saved: a log that cannot take it (a full disk) is a warning, not exit 3.
 */
async function audit(ctx: RunContext, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await ctx.claim('write');
  await appendAudit(ctx.stateDir, events).catch((e: Error) => ctx.warnings.push(e.message));
}

/** What one round did: how many services it probed, which came up (after the first round), restarted, still wait. */
function roundRecord(
  round: number,
  atMs: number,
  fresh: ReadonlyMap<string, ProbeResult>,
  plan: Plan,
  results: ReadonlyMap<string, RestartResult>,
  waiting: readonly Service[],
): RoundReport {
  const up = round === 1 ? [] : plan.entries.filter((e) => fresh.has(e.service.name) && e.verdict.state === 'healthy').map((e) => e.service.name);
  return { round, atMs, probed: fresh.size, up, restarted: [...results.keys()], waiting: waiting.map((s) => s.name) };
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
}
